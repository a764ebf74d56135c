package dev.wireport.config;

import java.util.Locale;

/**
 * How a user spells a property as an environment variable, for messages that tell them
 * how to set it.
 */
public final class EnvironmentVariable {

	private EnvironmentVariable() {
	}

	/**
	 * The environment variable that sets a property, the way Spring Boot maps one to the
	 * other: upper case, {@code _} for {@code .}, without {@code -}.
	 * @param property e.g. {@code wireport.tcp.listeners.framed.max-frame-size}
	 * @return e.g. {@code WIREPORT_TCP_LISTENERS_FRAMED_MAXFRAMESIZE}
	 */
	public static String of(String property) {
		return property.toUpperCase(Locale.ROOT).replace('.', '_').replace("-", "");
	}

}
