package dev.wireport.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import java.util.regex.Pattern;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Resolves a list of configured listeners against the built-in ones and checks the values
 * every listener has.
 *
 * <p>
 * Spring Boot replaces a whole list when any of its elements is set, so
 * {@code --wireport.tcp.listeners[0].port=0} alone would otherwise leave one listener
 * with nothing but a port. Instead, the configured list is laid over the default list
 * index by index: an unset field keeps the default listener's value, elements past the
 * defaults add listeners, and {@code enabled=false} removes one.
 */
public final class ListenerList {

	private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]*");

	private ListenerList() {
	}

	/**
	 * One listener as configured, with every field optional.
	 *
	 * @param <L> the listener type
	 */
	public interface Configured<L> {

		/**
		 * This listener's fields, each falling back to {@code defaults}' where unset.
		 * @param defaults the default listener at the same index
		 * @return the merged listener
		 */
		L over(L defaults);

		Boolean enabled();

	}

	/**
	 * Merges, resolves and checks a list of listeners.
	 * @param <L> the configured listener type
	 * @param <S> the resolved settings type
	 * @param prefix the list's property name, e.g. {@code wireport.tcp.listeners}
	 * @param configured the listeners as bound
	 * @param defaults the built-in listeners
	 * @param resolve turns a merged listener into checked settings, given its property
	 * name
	 * @param name the settings' name
	 * @param port the settings' port
	 * @return the enabled listeners' settings
	 * @throws InvalidConfigurationPropertyValueException naming the offending property
	 */
	public static <L extends Configured<L>, S> List<S> resolve(String prefix, List<L> configured, List<L> defaults,
			BiFunction<L, String, S> resolve, Function<S, String> name, ToIntFunction<S> port) {
		List<S> resolved = new ArrayList<>();
		Map<String, String> propertyByName = new HashMap<>();
		Map<Integer, String> propertyByPort = new HashMap<>();
		for (int i = 0; i < Math.max(configured.size(), defaults.size()); i++) {
			L listener = (i < configured.size()) ? configured.get(i) : null;
			L fallback = (i < defaults.size()) ? defaults.get(i) : null;
			L merged = (listener == null) ? fallback : (fallback == null) ? listener : listener.over(fallback);
			if (merged == null || Boolean.FALSE.equals(merged.enabled())) {
				continue;
			}
			String property = prefix + "[" + i + "]";
			S settings = resolve.apply(merged, property);
			unique(propertyByName, name.apply(settings), property + ".name", "name");
			if (port.applyAsInt(settings) != 0) {
				unique(propertyByPort, port.applyAsInt(settings), property + ".port", "port");
			}
			resolved.add(settings);
		}
		return resolved;
	}

	private static <K> void unique(Map<K, String> seen, K key, String property, String what) {
		String other = seen.putIfAbsent(key, property.substring(0, property.lastIndexOf('.')));
		if (other != null) {
			throw new InvalidConfigurationPropertyValueException(property, key,
					"another listener, " + other + ", uses the same " + what);
		}
	}

	public static <T> T or(T value, T fallback) {
		return (value != null) ? value : fallback;
	}

	public static <T> T required(String property, T value) {
		if (value == null) {
			throw new InvalidConfigurationPropertyValueException(property, null, "must be set");
		}
		return value;
	}

	public static String name(String property, String value) {
		String name = required(property, value);
		if (!NAME.matcher(name).matches()) {
			throw new InvalidConfigurationPropertyValueException(property, name,
					"use letters, digits, '-' and '_', starting with a letter or digit");
		}
		return name;
	}

	public static int port(String property, Integer value) {
		int port = required(property, value);
		if (port < 0 || port > 65535) {
			throw new InvalidConfigurationPropertyValueException(property, port, "must be between 0 and 65535");
		}
		return port;
	}

	public static String host(String property, String value) {
		String host = or(value, "0.0.0.0");
		if (host.isBlank()) {
			throw new InvalidConfigurationPropertyValueException(property, host, "must not be blank");
		}
		return host;
	}

	/**
	 * A per-listener limit on per-message log lines.
	 * @param property the property's name
	 * @param value lines per second, 0 for no limit
	 * @return the value, checked
	 */
	public static int logRate(String property, int value) {
		return zeroOrMore(property, value, "a number of lines per second, or 0 for no limit");
	}

	/**
	 * A count where 0 has a meaning of its own.
	 * @param property the property's name
	 * @param value the value
	 * @param expected what the value must be, for the error message
	 * @return the value, checked
	 */
	public static int zeroOrMore(String property, int value, String expected) {
		if (value < 0) {
			throw new InvalidConfigurationPropertyValueException(property, value, "must be " + expected);
		}
		return value;
	}

	public static int positive(String property, int value) {
		if (value < 1) {
			throw new InvalidConfigurationPropertyValueException(property, value, "must be at least 1");
		}
		return value;
	}

}
