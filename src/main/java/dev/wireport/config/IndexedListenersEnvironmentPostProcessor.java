package dev.wireport.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.PropertySourceOrigin;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Refuses the listener properties of old, which addressed listeners by list index
 * ({@code wireport.tcp.listeners[1].port}, {@code WIREPORT_TCP_LISTENERS_1_PORT}). Bound
 * to the map of listeners by name, an index would silently become a listener named
 * {@code 1}; instead start-up fails, naming the property (or the environment variable)
 * and its new spelling.
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
		String index = name.getElement(position, ConfigurationPropertyName.Form.ORIGINAL);
		ConfigurationProperty property = source.getConfigurationProperty(name);
		Origin origin = (property != null) ? property.getOrigin() : null;
		String listener = (Integer.parseInt(index) < names.size()) ? names.get(Integer.parseInt(index)) : "<name>";
		List<String> rest = new ArrayList<>();
		for (int i = position + 1; i < name.getNumberOfElements(); i++) {
			rest.add(name.getElement(i, ConfigurationPropertyName.Form.ORIGINAL));
		}
		if (rest.equals(List.of("name")) && property != null) {
			// The name it gave is the key now.
			listener = String.valueOf(property.getValue());
			rest = List.of("port");
		}
		if (origin instanceof PropertySourceOrigin from
				&& from.getPropertySource() instanceof SystemEnvironmentPropertySource) {
			// Spelled as it was set: Boot's reading of a variable loses its dashes.
			String prefix = listeners.toString().toUpperCase(Locale.ROOT).replace('.', '_') + "_";
			throw new IndexedListenerPropertyException(from.getPropertyName(),
					prefix + listener.toUpperCase(Locale.ROOT) + "_" + String.join("_", rest).toUpperCase(Locale.ROOT),
					origin);
		}
		throw new IndexedListenerPropertyException(name.toString(),
				listeners + "." + listener + "." + String.join(".", rest), origin);
	}

	@Override
	public int getOrder() {
		// After the configuration files and every other source are in place.
		return Ordered.LOWEST_PRECEDENCE;
	}

}
