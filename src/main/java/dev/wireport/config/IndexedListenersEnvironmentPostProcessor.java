package dev.wireport.config;

import java.util.List;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Refuses the listener properties of old, which addressed listeners by list index
 * ({@code wireport.tcp.listeners[1].port}, {@code WIREPORT_TCP_LISTENERS_1_PORT}). Bound
 * to the map of listeners by name, an index would silently become a listener named
 * {@code 1}; instead start-up fails, naming the property and its new spelling.
 */
class IndexedListenersEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	/** The listeners each index used to mean, by the property of the old list. */
	private static final Map<ConfigurationPropertyName, List<String>> FORMER_DEFAULTS = Map.of(
			ConfigurationPropertyName.of("wireport.tcp.listeners"), List.of("seed", "framed"),
			ConfigurationPropertyName.of("wireport.udp.listeners"), List.of("seed"));

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
			if (source instanceof IterableConfigurationPropertySource iterable) {
				FORMER_DEFAULTS.forEach((listeners, names) -> iterable.filter(listeners::isAncestorOf)
					.stream()
					.filter((name) -> isIndex(name, listeners.getNumberOfElements()))
					.findFirst()
					.ifPresent((name) -> refuse(iterable, listeners, names, name)));
			}
		}
	}

	private static boolean isIndex(ConfigurationPropertyName name, int element) {
		return name.isNumericIndex(element) || name.getElement(element, ConfigurationPropertyName.Form.ORIGINAL)
			.chars()
			.allMatch(Character::isDigit);
	}

	private static void refuse(ConfigurationPropertySource source, ConfigurationPropertyName listeners,
			List<String> names, ConfigurationPropertyName name) {
		int position = listeners.getNumberOfElements();
		int index = Integer.parseInt(name.getElement(position, ConfigurationPropertyName.Form.ORIGINAL));
		ConfigurationProperty property = source.getConfigurationProperty(name);
		String listener = (index < names.size()) ? names.get(index) : "<name>";
		StringBuilder rest = new StringBuilder();
		for (int i = position + 1; i < name.getNumberOfElements(); i++) {
			rest.append('.').append(name.getElement(i, ConfigurationPropertyName.Form.ORIGINAL));
		}
		if (rest.toString().equals(".name") && property != null) {
			// The name it gave is the key now.
			listener = String.valueOf(property.getValue());
			rest = new StringBuilder(".port");
		}
		throw new IndexedListenerPropertyException(name.toString(), listeners + "." + listener + rest,
				(property != null) ? property.getOrigin() : null);
	}

	@Override
	public int getOrder() {
		// After the configuration files and every other source are in place.
		return Ordered.LOWEST_PRECEDENCE;
	}

}
