package dev.wireport.config;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.validation.ObjectError;

/**
 * Reports listeners configured on a port that another listener, or an HTTP server, takes:
 * which two, on which port, and how to move either. Other configuration errors found with
 * them are left to Spring Boot's report, which lists every one.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
class PortClashFailureAnalyzer extends AbstractFailureAnalyzer<BindValidationException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, BindValidationException cause) {
		List<ObjectError> errors = cause.getValidationErrors().getAllErrors();
		List<PortClash> clashes = errors.stream()
			.flatMap((error) -> Arrays.stream((error.getArguments() != null) ? error.getArguments() : new Object[0]))
			.filter(PortClash.class::isInstance)
			.map(PortClash.class::cast)
			.toList();
		if (clashes.isEmpty() || clashes.size() != errors.size()) {
			return null;
		}
		String description = clashes.stream().map(PortClash::description).collect(Collectors.joining(";\n")) + ".";
		Set<String> properties = new LinkedHashSet<>();
		clashes.forEach((clash) -> {
			properties.add(clash.property());
			properties.add(clash.other());
		});
		String action = "Give each its own port, e.g. "
				+ properties.stream()
					.map((property) -> "--" + property + "=<port> (or " + EnvironmentVariable.of(property) + "=<port>)")
					.collect(Collectors.joining(", "))
				+ "; port 0 picks a free one. A TCP and a UDP listener may share a number.";
		return new FailureAnalysis(description, action, null);
	}

}
