package dev.wireport.config;

import java.util.Locale;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports a listener property of the indexed form with where it was set and its new
 * spelling, also as an environment variable.
 */
class IndexedListenerPropertyFailureAnalyzer extends AbstractFailureAnalyzer<IndexedListenerPropertyException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, IndexedListenerPropertyException cause) {
		String description = cause.getMessage()
				+ ((cause.getOrigin() != null) ? " (set by " + cause.getOrigin() + ")" : "");
		// Spring Boot's own environment variable form: dots become underscores, dashes
		// go.
		String variable = cause.getReplacement().replace("-", "").replace('.', '_').toUpperCase(Locale.ROOT);
		String action = "Set " + cause.getReplacement() + " (environment variable " + variable
				+ ") instead, where the listener's name replaces the index.";
		return new FailureAnalysis(description, action, cause);
	}

}
