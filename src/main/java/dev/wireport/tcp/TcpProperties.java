package dev.wireport.tcp;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import dev.wireport.framing.Framing;
import dev.wireport.payload.ReplyMode;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.logging.LogLevel;
import org.springframework.util.unit.DataSize;

/**
 * The TCP listeners, bound from {@code wireport.tcp.*}.
 *
 * <p>
 * Spring Boot replaces a whole list when any of its elements is set, so
 * {@code --wireport.tcp.listeners[0].port=0} alone would otherwise leave one listener
 * with nothing but a port. Instead, the configured list is laid over the two default
 * listeners index by index: an unset field of element 0 or 1 keeps the default listener's
 * value, elements past the defaults add listeners, and {@code enabled=false} removes one.
 *
 * @param listeners the listeners as configured, merged over the defaults
 * @param drainTimeout how long shutdown waits for connections to finish the messages they
 * already sent
 */
@ConfigurationProperties("wireport.tcp")
public record TcpProperties(List<Listener> listeners, @DefaultValue("10s") Duration drainTimeout) {

	static final String PREFIX = "wireport.tcp.listeners";

	/** The seed's acknowledgement, "server received the message successfully". */
	public static final String SEED_ACK = "server接收消息成功";

	private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]*");

	private static final List<Listener> DEFAULTS = List.of(
			new Listener("seed", null, null, 9000, Framing.CHUNK, null, null, null, null, null, null, null, null, null),
			new Listener("framed", null, null, 9080, Framing.LF, null, null, null, null, null, null, null, null, null));

	public TcpProperties {
		listeners = (listeners != null) ? List.copyOf(listeners) : List.of();
		if (drainTimeout.isNegative()) {
			throw new InvalidConfigurationPropertyValueException("wireport.tcp.drain-timeout", drainTimeout,
					"must not be negative");
		}
		resolve(listeners);
	}

	/**
	 * The enabled listeners with every default applied, validated.
	 * @return the listeners' settings, in configuration order
	 */
	public List<TcpListenerSettings> listenerSettings() {
		return resolve(this.listeners);
	}

	private static List<TcpListenerSettings> resolve(List<Listener> configured) {
		List<TcpListenerSettings> resolved = new ArrayList<>();
		Map<String, String> propertyByName = new HashMap<>();
		Map<Integer, String> propertyByPort = new HashMap<>();
		for (int i = 0; i < Math.max(configured.size(), DEFAULTS.size()); i++) {
			Listener listener = (i < configured.size()) ? configured.get(i) : null;
			Listener defaults = (i < DEFAULTS.size()) ? DEFAULTS.get(i) : null;
			Listener merged = (listener == null) ? defaults : listener.over(defaults);
			String property = PREFIX + "[" + i + "]";
			if (merged == null || Boolean.FALSE.equals(merged.enabled())) {
				continue;
			}
			TcpListenerSettings settings = merged.settings(property);
			String sameName = propertyByName.putIfAbsent(settings.name(), property);
			if (sameName != null) {
				throw new InvalidConfigurationPropertyValueException(property + ".name", settings.name(),
						"another listener, " + sameName + ", has the same name");
			}
			if (settings.port() != 0) {
				String samePort = propertyByPort.putIfAbsent(settings.port(), property);
				if (samePort != null) {
					throw new InvalidConfigurationPropertyValueException(property + ".port", settings.port(),
							"another listener, " + samePort + ", uses the same port");
				}
			}
			resolved.add(settings);
		}
		return resolved;
	}

	/**
	 * One listener as configured; every field may be left unset.
	 *
	 * @param name names the listener in logs, metrics and health (letters, digits,
	 * {@code -} and {@code _})
	 * @param enabled {@code false} removes the listener
	 * @param host the address to bind (default {@code 0.0.0.0}, every interface)
	 * @param port the port, 0 for an ephemeral one
	 * @param framing how messages are delimited on the wire
	 * @param maxFrameSize the largest message accepted (default 64KB)
	 * @param idleTimeout a connection that sends nothing for this long is closed (default
	 * 5m; 0 never closes)
	 * @param maxConnections connections beyond this are refused at once (default 10000)
	 * @param reply {@code ack} or {@code echo}
	 * @param ack the acknowledgement text, sent in UTF-8 (default the seed's)
	 * @param logLevel the level at which each message is logged (default {@code info};
	 * {@code off} for high rates)
	 * @param backlog the listen backlog (default 1024)
	 * @param tcpNoDelay disables Nagle's algorithm so small replies leave at once
	 * (default true)
	 * @param keepAlive TCP keep-alive probes find peers that vanished (default true)
	 */
	public record Listener(String name, Boolean enabled, String host, Integer port, Framing framing,
			DataSize maxFrameSize, Duration idleTimeout, Integer maxConnections, ReplyMode reply, String ack,
			LogLevel logLevel, Integer backlog, Boolean tcpNoDelay, Boolean keepAlive) {

		Listener over(Listener defaults) {
			if (defaults == null) {
				return this;
			}
			return new Listener(or(name, defaults.name), or(enabled, defaults.enabled), or(host, defaults.host),
					or(port, defaults.port), or(framing, defaults.framing), or(maxFrameSize, defaults.maxFrameSize),
					or(idleTimeout, defaults.idleTimeout), or(maxConnections, defaults.maxConnections),
					or(reply, defaults.reply), or(ack, defaults.ack), or(logLevel, defaults.logLevel),
					or(backlog, defaults.backlog), or(tcpNoDelay, defaults.tcpNoDelay),
					or(keepAlive, defaults.keepAlive));
		}

		private static <T> T or(T value, T fallback) {
			return (value != null) ? value : fallback;
		}

		TcpListenerSettings settings(String property) {
			String checkedName = required(property + ".name", this.name);
			if (!NAME.matcher(checkedName).matches()) {
				throw new InvalidConfigurationPropertyValueException(property + ".name", checkedName,
						"use letters, digits, '-' and '_', starting with a letter or digit");
			}
			int checkedPort = required(property + ".port", this.port);
			if (checkedPort < 0 || checkedPort > 65535) {
				throw new InvalidConfigurationPropertyValueException(property + ".port", checkedPort,
						"must be between 0 and 65535");
			}
			Framing checkedFraming = required(property + ".framing", this.framing);
			long frameBytes = or(this.maxFrameSize, DataSize.ofKilobytes(64)).toBytes();
			if (frameBytes < 1 || frameBytes > Integer.MAX_VALUE - 8) {
				throw new InvalidConfigurationPropertyValueException(property + ".max-frame-size", this.maxFrameSize,
						"must be between 1B and 2GB");
			}
			Duration idle = or(this.idleTimeout, Duration.ofMinutes(5));
			if (idle.isNegative() || idle.toMillis() > Integer.MAX_VALUE) {
				throw new InvalidConfigurationPropertyValueException(property + ".idle-timeout", idle,
						"must be between 0 (never) and " + Integer.MAX_VALUE + "ms");
			}
			int limit = positive(property + ".max-connections", or(this.maxConnections, 10_000));
			int checkedBacklog = positive(property + ".backlog", or(this.backlog, 1024));
			String checkedHost = or(this.host, "0.0.0.0");
			if (checkedHost.isBlank()) {
				throw new InvalidConfigurationPropertyValueException(property + ".host", checkedHost,
						"must not be blank");
			}
			byte[] ackBytes = or(this.ack, SEED_ACK).getBytes(StandardCharsets.UTF_8);
			String ackProblem = (ackBytes.length == 0) ? "must not be empty"
					: checkedFraming.codec((int) frameBytes).checkEncodable(ackBytes);
			if (ackProblem != null) {
				throw new InvalidConfigurationPropertyValueException(property + ".ack", this.ack,
						"cannot be sent with framing " + checkedFraming.configName() + ": " + ackProblem);
			}
			return new TcpListenerSettings(checkedName, checkedHost, checkedPort, checkedFraming, (int) frameBytes,
					idle, limit, or(this.reply, ReplyMode.ACK), ackBytes, or(this.logLevel, LogLevel.INFO),
					checkedBacklog, or(this.tcpNoDelay, true), or(this.keepAlive, true));
		}

		private static <T> T required(String property, T value) {
			if (value == null) {
				throw new InvalidConfigurationPropertyValueException(property, null, "must be set");
			}
			return value;
		}

		private static int positive(String property, int value) {
			if (value < 1) {
				throw new InvalidConfigurationPropertyValueException(property, value, "must be at least 1");
			}
			return value;
		}

	}

}
