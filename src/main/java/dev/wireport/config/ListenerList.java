package dev.wireport.config;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * The check that {@code wireport.web.go.log-rate} still makes in code; the listeners'
 * properties are checked by their constraints.
 */
public final class ListenerList {

	private ListenerList() {
	}

	/**
	 * A limit on per-message log lines.
	 * @param property the property's name
	 * @param value lines per second, 0 for no limit
	 * @return the value, checked
	 */
	public static int logRate(String property, int value) {
		if (value < 0) {
			throw new InvalidConfigurationPropertyValueException(property, value,
					"must be a number of lines per second, or 0 for no limit");
		}
		return value;
	}

}
