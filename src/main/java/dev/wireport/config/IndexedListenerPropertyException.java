package dev.wireport.config;

import org.springframework.boot.origin.Origin;

/**
 * A listener property in the form of old, addressed by list index.
 */
public class IndexedListenerPropertyException extends IllegalStateException {

	private final String replacement;

	private final transient Origin origin;

	/**
	 * Creates an exception for one property.
	 * @param property the property as it was set, or the environment variable
	 * @param replacement its new spelling, in the same form
	 * @param origin where it was set, or {@code null} if unknown
	 */
	IndexedListenerPropertyException(String property, String replacement, Origin origin) {
		super(property + " is no longer supported: listeners are keyed by name, e.g. " + replacement);
		this.replacement = replacement;
		this.origin = origin;
	}

	/**
	 * The property's new spelling.
	 * @return e.g. {@code wireport.tcp.listeners.framed.port} or
	 * {@code WIREPORT_TCP_LISTENERS_FRAMED_PORT}
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
