package dev.wireport.config;

import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;

import org.springframework.util.unit.DataSize;

/**
 * Checks {@link DataSizeRange}; an unset size is left to {@code @NotNull}.
 */
public class DataSizeRangeValidator implements ConstraintValidator<DataSizeRange, DataSize> {

	private long min;

	private long max;

	@Override
	public void initialize(DataSizeRange range) {
		this.min = range.min();
		this.max = range.max();
	}

	@Override
	public boolean isValid(DataSize size, ConstraintValidatorContext context) {
		return size == null || (size.toBytes() >= this.min && size.toBytes() <= this.max);
	}

}
