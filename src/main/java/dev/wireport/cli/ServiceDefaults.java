package dev.wireport.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import dev.wireport.config.EnvironmentVariable;
import dev.wireport.config.HttpPorts;
import dev.wireport.config.NamedListeners;
import dev.wireport.framing.Framing;
import dev.wireport.payload.ReplyMode;
import dev.wireport.tcp.TcpProperties;
import dev.wireport.udp.UdpProperties;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;

/**
 * The service's listeners and ports as the jar's own {@code application.yml} defines
 * them, bound the way the service binds them but without starting it: what the help lists
 * and what the clients' hints name, so that neither can drift from the service.
 *
 * @param tcp the TCP listeners
 * @param udp the UDP listeners
 * @param httpPorts the HTTP ports, by port
 */
record ServiceDefaults(TcpProperties tcp, UdpProperties udp, Map<Integer, String> httpPorts) {

	static ServiceDefaults load() {
		try {
			List<PropertySource<?>> file = new YamlPropertySourceLoader().load("application.yml",
					new ClassPathResource("application.yml"));
			Binder binder = new Binder(ConfigurationPropertySources.from(file));
			return new ServiceDefaults(binder.bindOrCreate("wireport.tcp", TcpProperties.class),
					binder.bindOrCreate("wireport.udp", UdpProperties.class), HttpPorts.of(binder));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("The jar's application.yml cannot be read", ex);
		}
	}

	/**
	 * What to tell a TCP client that got no reply, or one it could not read: a listener
	 * waits for the end of a frame in its own framing, so a client speaking another one
	 * waits in vain.
	 * @param used the framing the client used
	 * @param port the port it sent to
	 * @return the hint, e.g. {@code port 9080 is the default listener 'framed', which
	 * expects lf: add --framing lf}
	 */
	String framingHint(Framing used, int port) {
		String hint = "the framing may not match the listener's (this client used " + used.configName() + "): ";
		return byPort(this.tcp.listeners()).entrySet()
			.stream()
			.filter((entry) -> entry.getValue().port() == port && entry.getValue().framing() != used)
			.findFirst()
			.map((entry) -> hint + "port " + port + " is the default listener '" + entry.getKey() + "', which expects "
					+ entry.getValue().framing().configName() + ": add --framing "
					+ entry.getValue().framing().configName())
			.orElseGet(() -> hint + "the default listeners are "
					+ byPort(this.tcp.listeners()).entrySet()
						.stream()
						.map((entry) -> entry.getKey() + "=" + entry.getValue().framing().configName() + " on "
								+ entry.getValue().port())
						.collect(Collectors.joining(", "))
					+ "; pass the listener's with --framing");
	}

	/**
	 * The service's half of the help: its listeners and ports, and how to change them.
	 * @return the text, lines ending in {@code \n}
	 */
	String help() {
		StringBuilder text = new StringBuilder("The service, as the jar configures it:\n");
		byPort(this.tcp.listeners()).forEach(
				(name, listener) -> text.append(String.format("  TCP listener %-8s port %-5d framing %-6s reply %s%n",
						name, listener.port(), listener.framing().configName(), lower(listener.reply()))));
		byPort(this.udp.listeners()).forEach((name, listener) -> text.append(String.format(
				"  UDP listener %-8s port %-5d reply %s, at most %s replies/s (bursts of %d) per source address%n",
				name, listener.port(), lower(listener.reply()), number(listener.replyRate()), listener.replyBurst())));
		this.httpPorts.forEach((port, property) -> text.append(property.equals("server.port")
				? String.format("  HTTP                  port %-5d /go, /fetch, /livez, /readyz (%s)%n", port, property)
				: String.format("  HTTP management       port %-5d /actuator/health, /actuator/prometheus (%s)%n", port,
						property)));
		String name = byPort(this.tcp.listeners()).keySet().iterator().next();
		String port = "wireport.tcp.listeners." + name + ".port";
		int other = this.tcp.listeners().get(name).port() + 1;
		text.append("\nSet any property as an argument or as an environment variable:\n")
			.append(String.format("  --%s=%d   or   %s=%d%n", port, other, EnvironmentVariable.of(port), other))
			.append(String.format("  --server.port=%d   or   %s=%d%n", HttpPorts.DEFAULT_SERVER_PORT + 5,
					EnvironmentVariable.of("server.port"), HttpPorts.DEFAULT_SERVER_PORT + 5))
			.append("  --wireport.tcp.listeners.<name>.port=7000 --wireport.tcp.listeners.<name>.framing=lf"
					+ "   adds a listener\n")
			.append("  --wireport.tcp.listeners.")
			.append(name)
			.append(".enabled=false   removes one\n")
			.append("A TCP listener's properties (wireport.tcp.listeners.<name>.*): ")
			.append(properties(TcpProperties.Listener.class))
			.append("\nA UDP listener's properties (wireport.udp.listeners.<name>.*): ")
			.append(properties(UdpProperties.Listener.class))
			.append("\nReplies: ")
			.append(Arrays.stream(ReplyMode.values()).map(ServiceDefaults::lower).collect(Collectors.joining(", ")))
			.append("\nFramings: ")
			.append(Framing.validNames())
			.append("\nEvery property, with its default: the README's Configuration section, or the jar's\n")
			.append("META-INF/spring-configuration-metadata.json.\n");
		return text.toString();
	}

	/** The properties of a listener, in the order of its record. */
	private static String properties(Class<? extends Record> listener) {
		return Arrays.stream(listener.getRecordComponents())
			.map((component) -> component.getName().replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT))
			.collect(Collectors.joining(", "));
	}

	/** The enabled listeners, lowest port first. */
	private static <L extends NamedListeners.Listener> Map<String, L> byPort(Map<String, L> listeners) {
		return listeners.entrySet()
			.stream()
			.filter((entry) -> entry.getValue().enabled())
			.sorted(Comparator.comparing((Map.Entry<String, L> entry) -> entry.getValue().port()))
			.collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
	}

	private static String lower(Enum<?> value) {
		return value.name().toLowerCase(Locale.ROOT);
	}

	private static String number(double value) {
		return (value == Math.rint(value)) ? String.valueOf((long) value) : String.valueOf(value);
	}

}
