package dev.wireport.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.wireport.tcp.TcpProperties;
import dev.wireport.udp.UdpProperties;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The configuration metadata in the jar describes every {@code wireport.*} property with
 * its default, and agrees with the property tables of the README (and of the HTTP page it
 * links for the HTTP properties): what one documents, the other has, with the same
 * default.
 */
class ConfigurationMetadataTest {

	private static final List<Path> DOCUMENTS = List.of(Path.of("README.md"), Path.of("docs", "http.md"));

	/** A table's header: {@code | property |} or {@code | property (`prefix.…`) |}. */
	private static final Pattern HEADER = Pattern.compile("\\| property(?: \\(`([^`]*)…`\\))? \\|.*");

	/** A row: the property's name, then its default. */
	private static final Pattern ROW = Pattern.compile("\\| `([^`]+)` \\| ([^|]*) \\|.*");

	/** A default that is one value: anything else documents a property without one. */
	private static final Pattern ONE_VALUE = Pattern.compile("`([^`]*)`");

	@Test
	void everyPropertyHasADescription() throws IOException {
		assertThat(metadata()).isNotEmpty()
			.allSatisfy(
					(name, property) -> assertThat(property.path("description").asString("")).as(name).isNotBlank());
	}

	@Test
	void theDocumentsAndTheMetadataListTheSameProperties() throws IOException {
		assertThat(documented().keySet()).containsExactlyInAnyOrderElementsOf(metadata().keySet());
	}

	@Test
	void theDocumentsGiveTheMetadatasDefaults() throws IOException {
		Map<String, JsonNode> metadata = metadata();
		assertThat(documented()).allSatisfy((name, documentedDefault) -> {
			JsonNode value = metadata.get(name).get("defaultValue");
			assertThat((value != null) ? value.asString() : null).as(name).isEqualTo(documentedDefault);
		});
	}

	/**
	 * The metadata's defaults for a listener's fields, which Spring Boot cannot read from
	 * a map's values, are the ones a listener binds with when they are left unset.
	 */
	@Test
	void aListenerLeftUnsetBindsTheMetadatasDefaults() throws IOException {
		assertThat(listenerBoundTwice("wireport.tcp", TcpProperties.class, TcpProperties::listeners))
			.containsOnlyKeys("unset", "explicit")
			.satisfies((listeners) -> assertThat(listeners.get("unset")).isEqualTo(listeners.get("explicit")));
		assertThat(listenerBoundTwice("wireport.udp", UdpProperties.class, UdpProperties::listeners))
			.containsOnlyKeys("unset", "explicit")
			.satisfies((listeners) -> assertThat(listeners.get("unset")).isEqualTo(listeners.get("explicit")));
	}

	/**
	 * Binds two listeners, both on port 0 with framing lf: {@code unset} with nothing
	 * else, {@code explicit} with every default of the metadata set.
	 */
	private static <T> Map<String, ?> listenerBoundTwice(String prefix, Class<T> type,
			Function<T, Map<String, ?>> listeners) throws IOException {
		Map<String, Object> properties = new LinkedHashMap<>();
		for (String listener : List.of("unset", "explicit")) {
			properties.put(prefix + ".listeners." + listener + ".port", 0);
			properties.put(prefix + ".listeners." + listener + ".framing", "lf");
		}
		String fields = prefix + ".listeners.*.";
		metadata().forEach((name, property) -> {
			if (name.startsWith(fields) && property.has("defaultValue")) {
				properties.put(prefix + ".listeners.explicit." + name.substring(fields.length()),
						property.get("defaultValue").asString());
			}
		});
		assertThat(properties).hasSizeGreaterThan(10);
		T bound = new Binder(new MapConfigurationPropertySource(properties)).bind(prefix, type).get();
		return listeners.apply(bound);
	}

	/**
	 * The {@code wireport.*} properties of the metadata, a listener's fields written with
	 * {@code *} for the listener's name.
	 */
	private static Map<String, JsonNode> metadata() throws IOException {
		try (InputStream in = new ClassPathResource("META-INF/spring-configuration-metadata.json").getInputStream()) {
			Map<String, JsonNode> properties = new LinkedHashMap<>();
			for (JsonNode property : JsonMapper.shared().readTree(in).get("properties")) {
				String name = property.get("name").asString();
				if (name.startsWith("wireport.")) {
					properties.put(name, property);
				}
			}
			return properties;
		}
	}

	/**
	 * The {@code wireport.*} properties of the documents' property tables with their
	 * defaults ({@code null} for none), {@code <name>} written as the metadata's
	 * {@code *}.
	 */
	private static Map<String, String> documented() throws IOException {
		Map<String, String> properties = new LinkedHashMap<>();
		for (Path document : DOCUMENTS) {
			String prefix = null;
			for (String line : Files.readAllLines(document, StandardCharsets.UTF_8)) {
				Matcher header = HEADER.matcher(line);
				Matcher row = ROW.matcher(line);
				if (header.matches()) {
					prefix = (header.group(1) != null) ? header.group(1) : "";
				}
				else if (!line.startsWith("|")) {
					prefix = null;
				}
				else if (prefix != null && row.matches()) {
					String name = (prefix + row.group(1)).replace("<name>", "*");
					Matcher value = ONE_VALUE.matcher(row.group(2).trim());
					if (name.startsWith("wireport.")) {
						properties.put(name, value.matches() ? value.group(1) : null);
					}
				}
			}
		}
		return properties;
	}

}
