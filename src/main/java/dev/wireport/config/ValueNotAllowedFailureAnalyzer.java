package dev.wireport.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Reports a value that is not one of wireport's choices ({@code framing=bogus},
 * {@code reply=shout}) with the names users type, {@code length-header-4}, where Spring
 * Boot's report lists the Java constants, {@code LENGTH_HEADER_4}.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
class ValueNotAllowedFailureAnalyzer extends AbstractFailureAnalyzer<BindException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, BindException cause) {
		Class<?> type = cause.getTarget().getType().resolve();
		ConfigurationProperty property = cause.getProperty();
		if (type == null || !type.isEnum() || !type.getPackageName().startsWith("dev.wireport.") || property == null) {
			return null;
		}
		String choices = Arrays.stream(type.getEnumConstants())
			.map((constant) -> ((Enum<?>) constant).name().toLowerCase(Locale.ROOT).replace('_', '-'))
			.collect(Collectors.joining(", "));
		String name = cause.getName().toString();
		String description = name + " is '" + property.getValue() + "', which is not one of its values"
				+ ((property.getOrigin() != null) ? " (set by " + property.getOrigin() + ")" : "") + ".";
		String action = "Set " + name + " (or " + EnvironmentVariable.of(name) + ") to one of: " + choices + ".";
		return new FailureAnalysis(description, action, null);
	}

}
