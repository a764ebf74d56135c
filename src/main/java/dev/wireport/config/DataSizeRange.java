package dev.wireport.config;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;

/**
 * A {@link org.springframework.util.unit.DataSize DataSize} between two sizes in bytes,
 * both included; Jakarta Bean Validation has no constraint for it.
 */
@Documented
@Constraint(validatedBy = DataSizeRangeValidator.class)
@Target({ ElementType.FIELD, ElementType.PARAMETER, ElementType.METHOD, ElementType.RECORD_COMPONENT })
@Retention(RetentionPolicy.RUNTIME)
public @interface DataSizeRange {

	long min();

	long max();

	String message() default "must be between {min}B and {max}B";

	Class<?>[] groups() default {};

	Class<? extends Payload>[] payload() default {};

}
