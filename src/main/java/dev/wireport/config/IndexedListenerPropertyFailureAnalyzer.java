package dev.wireport.config;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports a listener property of the indexed form with where it was set and its new
 * spelling.
 */
class IndexedListenerPropertyFailureAnalyzer extends AbstractFailureAnalyzer<IndexedListenerPropertyException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, IndexedListenerPropertyException cause) {
		String description = cause.getMessage()
				+ ((cause.getOrigin() != null) ? " (set by " + cause.getOrigin() + ")" : "");
		String action = "Set " + cause.getReplacement() + " instead, where the listener's name replaces the index.";
		return new FailureAnalysis(description, action, cause);
	}

}
