package dev.wireport.config;

import org.springframework.boot.origin.Origin;

/**
 * A listener property in the form of old, addressed by list index.
 */
public class IndexedListenerPropertyException extends IllegalStateException {

	private final String replacement;

	private final transient Origin origin;

	IndexedListenerPropertyException(String property, String replacement, Origin origin) {
		super(property + " is no longer supported: listeners are keyed by name, e.g. " + replacement);
		this.replacement = replacement;
		this.origin = origin;
	}

	/**
	 * The property's new spelling.
	 * @return e.g. {@code wireport.tcp.listeners.framed.port}
	 */
	public String getReplacement() {
		return this.replacement;
	}

	/**
	 * Where the property was set.
	 * @return the origin, or {@code null} if unknown
	 */
	public Origin getOrigin() {
		return this.origin;
	}

}
