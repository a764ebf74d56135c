package dev.wireport.tcp;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import dev.wireport.config.ListenerList;
import dev.wireport.framing.Framing;
import dev.wireport.payload.ReplyMode;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.logging.LogLevel;
import org.springframework.util.unit.DataSize;

import static dev.wireport.config.ListenerList.or;
import static dev.wireport.config.ListenerList.positive;
import static dev.wireport.config.ListenerList.required;

/**
 * The TCP listeners, bound from {@code wireport.tcp.*}. The configured list is laid over
 * the two default listeners index by index (see {@link ListenerList}), so
 * {@code --wireport.tcp.listeners[0].port=0} moves {@code seed} and keeps {@code framed}.
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

	private static final List<Listener> DEFAULTS = List.of(
			new Listener("seed", null, null, 9000, Framing.CHUNK, null, null, null, null, null, null, null, null, null,
					null, null, null),
			new Listener("framed", null, null, 9080, Framing.LF, null, null, null, null, null, null, null, null, null,
					null, null, null));

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
		return ListenerList.resolve(PREFIX, configured, DEFAULTS, Listener::settings, TcpListenerSettings::name,
				TcpListenerSettings::port);
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
	 * @param frameTimeout a frame must be complete this long after its first byte, or it
	 * is refused and the connection closed, which cuts off clients that trickle bytes
	 * (default 30s; 0 never)
	 * @param writeTimeout a reply that cannot be written for this long, because the peer
	 * stopped reading or vanished without a FIN, closes the connection (default 30s; 0
	 * never)
	 * @param maxConnections connections beyond this are refused at once (default 10000)
	 * @param reply {@code ack} or {@code echo}
	 * @param ack the acknowledgement text, sent in UTF-8 (default the seed's)
	 * @param logLevel the level at which each message is logged (default {@code info};
	 * {@code off} for none)
	 * @param logRate the most messages logged per second, the others counted in one line
	 * (default 100; 0 for no limit)
	 * @param backlog the listen backlog (default 1024)
	 * @param tcpNoDelay disables Nagle's algorithm so small replies leave at once
	 * (default true)
	 * @param keepAlive TCP keep-alive probes find peers that vanished (default true)
	 */
	public record Listener(String name, Boolean enabled, String host, Integer port, Framing framing,
			DataSize maxFrameSize, Duration idleTimeout, Duration frameTimeout, Duration writeTimeout,
			Integer maxConnections, ReplyMode reply, String ack, LogLevel logLevel, Integer logRate, Integer backlog,
			Boolean tcpNoDelay, Boolean keepAlive) implements ListenerList.Configured<Listener> {

		@Override
		public Listener over(Listener defaults) {
			return new Listener(or(name, defaults.name), or(enabled, defaults.enabled), or(host, defaults.host),
					or(port, defaults.port), or(framing, defaults.framing), or(maxFrameSize, defaults.maxFrameSize),
					or(idleTimeout, defaults.idleTimeout), or(frameTimeout, defaults.frameTimeout),
					or(writeTimeout, defaults.writeTimeout), or(maxConnections, defaults.maxConnections),
					or(reply, defaults.reply), or(ack, defaults.ack), or(logLevel, defaults.logLevel),
					or(logRate, defaults.logRate), or(backlog, defaults.backlog), or(tcpNoDelay, defaults.tcpNoDelay),
					or(keepAlive, defaults.keepAlive));
		}

		TcpListenerSettings settings(String property) {
			String checkedName = ListenerList.name(property + ".name", this.name);
			int checkedPort = ListenerList.port(property + ".port", this.port);
			Framing checkedFraming = required(property + ".framing", this.framing);
			long frameBytes = or(this.maxFrameSize, DataSize.ofKilobytes(64)).toBytes();
			if (frameBytes < 1 || frameBytes > Integer.MAX_VALUE - 8) {
				throw new InvalidConfigurationPropertyValueException(property + ".max-frame-size", this.maxFrameSize,
						"must be between 1B and 2GB");
			}
			Duration idle = timeout(property + ".idle-timeout", or(this.idleTimeout, Duration.ofMinutes(5)));
			Duration frame = timeout(property + ".frame-timeout", or(this.frameTimeout, Duration.ofSeconds(30)));
			Duration write = timeout(property + ".write-timeout", or(this.writeTimeout, Duration.ofSeconds(30)));
			int limit = positive(property + ".max-connections", or(this.maxConnections, 10_000));
			int checkedBacklog = positive(property + ".backlog", or(this.backlog, 1024));
			String checkedHost = ListenerList.host(property + ".host", this.host);
			byte[] ackBytes = or(this.ack, SEED_ACK).getBytes(StandardCharsets.UTF_8);
			String ackProblem = (ackBytes.length == 0) ? "must not be empty"
					: checkedFraming.codec((int) frameBytes).checkEncodable(ackBytes);
			if (ackProblem != null) {
				throw new InvalidConfigurationPropertyValueException(property + ".ack", this.ack,
						"cannot be sent with framing " + checkedFraming.configName() + ": " + ackProblem);
			}
			return new TcpListenerSettings(checkedName, checkedHost, checkedPort, checkedFraming, (int) frameBytes,
					idle, frame, write, limit, or(this.reply, ReplyMode.ACK), ackBytes,
					or(this.logLevel, LogLevel.INFO),
					ListenerList.logRate(property + ".log-rate", or(this.logRate, 100)), checkedBacklog,
					or(this.tcpNoDelay, true), or(this.keepAlive, true));
		}

		private static Duration timeout(String property, Duration timeout) {
			if (timeout.isNegative() || timeout.toMillis() > Integer.MAX_VALUE) {
				throw new InvalidConfigurationPropertyValueException(property, timeout,
						"must be between 0 (never) and " + Integer.MAX_VALUE + "ms");
			}
			return timeout;
		}
	}

}
