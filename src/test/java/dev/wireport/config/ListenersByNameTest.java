package dev.wireport.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.wireport.framing.Framing;
import dev.wireport.tcp.TcpListenerSettings;
import dev.wireport.tcp.TcpProperties;
import dev.wireport.udp.UdpListenerSettings;
import dev.wireport.udp.UdpProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.yaml.snakeyaml.Yaml;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Each way of configuring the service (a configuration file, a command-line argument, an
 * environment variable) changes one field of one listener, adds a listener or removes
 * one, over the listeners the jar's {@code application.yml} defines, and leaves the
 * others as they are; the indexed form of old is refused, whichever way it comes.
 */
@ExtendWith(OutputCaptureExtension.class)
class ListenersByNameTest {

	@TempDir
	Path directory;

	@ParameterizedTest
	@EnumSource
	void oneFieldOfOneListenerChanges(Way way) throws IOException {
		try (ConfigurableApplicationContext context = start(way, Map.of("wireport.tcp.listeners.framed.port", 9081))) {
			assertThat(tcp(context))
				.extracting(TcpListenerSettings::name, TcpListenerSettings::port, TcpListenerSettings::framing,
						TcpListenerSettings::maxFrameSize)
				.containsExactly(tuple("framed", 9081, Framing.LF, 65536), tuple("seed", 9000, Framing.CHUNK, 65536));
			assertThat(udp(context)).extracting(UdpListenerSettings::name, UdpListenerSettings::port)
				.containsExactly(tuple("seed", 8090));
		}
	}

	@ParameterizedTest
	@EnumSource
	void aNewNameAddsAListener(Way way) throws IOException {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("wireport.tcp.listeners.devices.port", 7000);
		properties.put("wireport.tcp.listeners.devices.framing", "length-header-4");
		properties.put("wireport.udp.listeners.telemetry.port", 8091);
		try (ConfigurableApplicationContext context = start(way, properties)) {
			assertThat(tcp(context))
				.extracting(TcpListenerSettings::name, TcpListenerSettings::port, TcpListenerSettings::framing,
						TcpListenerSettings::maxConnections)
				.containsExactly(tuple("devices", 7000, Framing.LENGTH_HEADER_4, 10000),
						tuple("framed", 9080, Framing.LF, 10000), tuple("seed", 9000, Framing.CHUNK, 10000));
			assertThat(udp(context)).extracting(UdpListenerSettings::name, UdpListenerSettings::port)
				.containsExactly(tuple("seed", 8090), tuple("telemetry", 8091));
		}
	}

	@ParameterizedTest
	@EnumSource
	void enabledFalseRemovesAListener(Way way) throws IOException {
		try (ConfigurableApplicationContext context = start(way,
				Map.of("wireport.tcp.listeners.seed.enabled", false))) {
			assertThat(tcp(context))
				.extracting(TcpListenerSettings::name, TcpListenerSettings::port, TcpListenerSettings::framing)
				.containsExactly(tuple("framed", 9080, Framing.LF));
			assertThat(udp(context)).extracting(UdpListenerSettings::name).containsExactly("seed");
		}
	}

	@ParameterizedTest
	@EnumSource
	void theIndexedFormIsRefusedWithItsNewSpelling(Way way) {
		String expected = (way != Way.ENVIRONMENT_VARIABLE)
				? "wireport.tcp.listeners[0].port is no longer supported: listeners are keyed by name, "
						+ "e.g. wireport.tcp.listeners.seed.port"
				: "WIREPORT_TCP_LISTENERS_0_PORT is no longer supported: listeners are keyed by name, "
						+ "e.g. WIREPORT_TCP_LISTENERS_SEED_PORT";
		assertThatExceptionOfType(IndexedListenerPropertyException.class)
			.isThrownBy(() -> start(way, Map.of("wireport.tcp.listeners[0].port", 9001)).close())
			.withMessage(expected);
	}

	@Test
	void theStartUpReportShowsWhereAnIndexWasSetAndWhatToSetInstead(CapturedOutput output) {
		assertThatException()
			.isThrownBy(() -> start(Way.ENVIRONMENT_VARIABLE, Map.of("wireport.tcp.listeners[1].max-frame-size", "1KB"))
				.close());

		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("WIREPORT_TCP_LISTENERS_1_MAX_FRAME_SIZE is no longer supported: listeners are keyed by name, "
					+ "e.g. WIREPORT_TCP_LISTENERS_FRAMED_MAX_FRAME_SIZE (set by System Environment Property "
					+ "\"WIREPORT_TCP_LISTENERS_1_MAX_FRAME_SIZE\")")
			.contains("Set WIREPORT_TCP_LISTENERS_FRAMED_MAX_FRAME_SIZE instead");
	}

	@ParameterizedTest
	@EnumSource
	void anIndexedNameIsRefusedWithTheKeyItBecomes(Way way) {
		String expected = (way != Way.ENVIRONMENT_VARIABLE)
				? "wireport.udp.listeners[0].name is no longer supported: listeners are keyed by name, "
						+ "e.g. wireport.udp.listeners.telemetry.port"
				: "WIREPORT_UDP_LISTENERS_0_NAME is no longer supported: listeners are keyed by name, "
						+ "e.g. WIREPORT_UDP_LISTENERS_TELEMETRY_PORT";
		assertThatExceptionOfType(IndexedListenerPropertyException.class)
			.isThrownBy(() -> start(way, Map.of("wireport.udp.listeners[0].name", "telemetry")).close())
			.withMessage(expected);
	}

	@ParameterizedTest
	@EnumSource
	void aTcpAndAUdpListenerMayShareAPortNumber(Way way) throws IOException {
		try (ConfigurableApplicationContext context = start(way, Map.of("wireport.tcp.listeners.seed.port", 8090))) {
			assertThat(tcp(context)).extracting(TcpListenerSettings::port).contains(8090);
			assertThat(udp(context)).extracting(UdpListenerSettings::port).containsExactly(8090);
		}
	}

	@ParameterizedTest
	// Environment variables know no case: their names always come in lower case.
	@EnumSource(names = { "FILE", "ARGUMENT" })
	void twoSpellingsOfOneNameAreRefused(Way way) {
		assertThatException().isThrownBy(() -> start(way, Map.of("wireport.tcp.listeners.Framed.port", 9081)).close())
			.withStackTraceContaining("wireport.tcp.listeners.framed and wireport.tcp.listeners.Framed are one "
					+ "listener to Spring Boot, which ignores case, '-' and '_' in names: spell its name one way");
	}

	private static List<TcpListenerSettings> tcp(ConfigurableApplicationContext context) {
		return context.getBean(TcpProperties.class).listenerSettings();
	}

	private static List<UdpListenerSettings> udp(ConfigurableApplicationContext context) {
		return context.getBean(UdpProperties.class).listenerSettings();
	}

	/**
	 * Starts an application that binds the listeners the way the service does, from the
	 * jar's configuration file and {@code properties}, set {@code way}.
	 */
	private ConfigurableApplicationContext start(Way way, Map<String, Object> properties) throws IOException {
		List<String> args = new ArrayList<>();
		// The jar's file alone: the tests' own properties move every listener to port 0.
		args.add("--spring.config.location=classpath:application.yml");
		Map<String, Object> variables = new LinkedHashMap<>();
		switch (way) {
			case FILE -> {
				Path file = this.directory.resolve("override.yml");
				Files.writeString(file, yaml(properties), StandardCharsets.UTF_8);
				args.add("--spring.config.additional-location=file:" + file);
			}
			case ARGUMENT -> properties.forEach((name, value) -> args.add("--" + name + "=" + value));
			case ENVIRONMENT_VARIABLE -> properties.forEach((name, value) -> variables.put(variable(name), value));
		}
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources()
			.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new SystemEnvironmentPropertySource(
					StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables));
		return new SpringApplicationBuilder(ListenerProperties.class).environment(environment)
			.web(WebApplicationType.NONE)
			.run(args.toArray(String[]::new));
	}

	/**
	 * The properties as a YAML document, nested the way people write it; index 0 becomes
	 * a list of one, as it was written when listeners were a list.
	 */
	@SuppressWarnings("unchecked")
	private static String yaml(Map<String, Object> properties) {
		Map<String, Object> root = new LinkedHashMap<>();
		properties.forEach((name, value) -> {
			Map<String, Object> node = root;
			String[] keys = name.split("\\.");
			for (int i = 0; i < keys.length - 1; i++) {
				String key = keys[i];
				if (key.endsWith("[0]")) {
					List<Object> list = (List<Object>) node.computeIfAbsent(key.substring(0, key.length() - 3),
							(absent) -> new ArrayList<>(List.of(new LinkedHashMap<>())));
					node = (Map<String, Object>) list.get(0);
				}
				else {
					node = (Map<String, Object>) node.computeIfAbsent(key, (absent) -> new LinkedHashMap<>());
				}
			}
			node.put(keys[keys.length - 1], value);
		});
		return new Yaml().dump(root);
	}

	/**
	 * The environment variable for a property as people write it: upper case, dots,
	 * dashes and brackets as underscores.
	 */
	private static String variable(String property) {
		return property.replaceAll("[-.\\[\\]]+", "_").replaceAll("_$", "").toUpperCase(Locale.ROOT);
	}

	enum Way {

		FILE, ARGUMENT, ENVIRONMENT_VARIABLE

	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties({ TcpProperties.class, UdpProperties.class })
	@Import(ConfigurationValidation.class)
	static class ListenerProperties {

	}

}
