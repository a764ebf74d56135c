package dev.wireport.tcp;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.wireport.config.DataSizeRange;
import dev.wireport.config.NamedListeners;
import dev.wireport.framing.FrameCodec;
import dev.wireport.framing.Framing;
import dev.wireport.payload.Identification;
import dev.wireport.payload.Instance;
import dev.wireport.payload.ReplyMode;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.hibernate.validator.constraints.Range;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.logging.LogLevel;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The TCP listeners, bound from {@code wireport.tcp.*}. Listeners are keyed by name, so
 * each field of each listener is a property of its own
 * ({@code wireport.tcp.listeners.framed.port}) that any property source can set alone;
 * the default listeners come from the jar's {@code application.yml}.
 *
 * @param listeners the listeners, keyed by a name of letters, digits, dashes and
 * underscores that logs, metrics and health use; the jar defines seed and framed
 * @param drainTimeout how long shutdown waits for connections to finish the messages they
 * already sent
 */
@Validated
@ConfigurationProperties(prefix = "wireport.tcp", ignoreUnknownFields = false)
public record TcpProperties(
		Map<@Pattern(regexp = NamedListeners.NAME,
				message = NamedListeners.NAME_MESSAGE) String, @Valid Listener> listeners,
		@DefaultValue("10s") Duration drainTimeout) implements NamedListeners<TcpProperties.Listener> {

	/** The seed's acknowledgement, "server received the message successfully". */
	public static final String SEED_ACK = "server接收消息成功";

	public TcpProperties {
		// By name: the order of a map merged from several sources says nothing.
		listeners = Collections.unmodifiableSortedMap((listeners != null) ? new TreeMap<>(listeners) : new TreeMap<>());
		if (drainTimeout.isNegative()) {
			throw new InvalidConfigurationPropertyValueException("wireport.tcp.drain-timeout", drainTimeout,
					"must not be negative");
		}
	}

	/**
	 * The enabled listeners, each with every default applied.
	 * @return the listeners' settings, in order of name
	 */
	public List<TcpListenerSettings> listenerSettings() {
		return enabled((name, listener) -> listener.settings(name));
	}

	@Override
	public String protocol() {
		return "TCP";
	}

	/**
	 * One listener. {@code port} and {@code framing} have no default: a listener the jar
	 * does not define needs both.
	 *
	 * @param enabled {@code false} removes the listener
	 * @param host the address to bind
	 * @param port the port, 0 for an ephemeral one
	 * @param framing how messages are delimited on the wire
	 * @param maxFrameSize the largest message accepted
	 * @param idleTimeout a connection that sends nothing for this long is closed (0 never
	 * closes)
	 * @param frameTimeout a frame must be complete this long after its first byte, or it
	 * is refused and the connection closed, which cuts off clients that trickle bytes (0
	 * never)
	 * @param writeTimeout a reply that cannot be written for this long, because the peer
	 * stopped reading or vanished without a FIN, closes the connection (0 never)
	 * @param maxConnections connections beyond this are refused at once
	 * @param reply {@code ack}, {@code echo}, or {@code identify}: the ack, then the
	 * instance's name, the listener's and the client's address
	 * @param ack the acknowledgement text, sent in UTF-8
	 * @param logLevel the level at which each message is logged ({@code off} for none)
	 * @param logRate the most messages logged per second, the others counted in one line;
	 * also the most warnings a second that clients cause (refused connections, rejected
	 * frames, failed TLS handshakes) (0 for no limit)
	 * @param backlog the listen backlog
	 * @param tcpNoDelay disables Nagle's algorithm so small replies leave at once
	 * @param keepAlive TCP keep-alive probes find peers that vanished
	 * @param keepAliveIdle how long a connection is quiet before the first keep-alive
	 * probe, in whole seconds ({@code TCP_KEEPIDLE})
	 * @param keepAliveInterval the time between unanswered keep-alive probes, in whole
	 * seconds ({@code TCP_KEEPINTVL})
	 * @param keepAliveCount unanswered keep-alive probes after which the peer is taken
	 * for gone and the connection closed ({@code TCP_KEEPCNT})
	 * @param proxyProtocol whether connections start with a PROXY protocol header (v1 or
	 * v2) whose client address replaces the peer's: {@code off}, {@code optional} (with
	 * or without one) or {@code required}
	 * @param ssl TLS on the listener's connections, off unless a bundle is named
	 */
	public record Listener(@DefaultValue("true") boolean enabled, @NotBlank @DefaultValue("0.0.0.0") String host,
			@NotNull @Range(min = 0, max = 65535) Integer port, @NotNull Framing framing,
			@DataSizeRange(min = 1, max = Integer.MAX_VALUE - 8) @DefaultValue("64KB") DataSize maxFrameSize,
			@DurationMin(millis = 0) @DurationMax(millis = Integer.MAX_VALUE) @DefaultValue("5m") Duration idleTimeout,
			@DurationMin(millis = 0) @DurationMax(
					millis = Integer.MAX_VALUE) @DefaultValue("30s") Duration frameTimeout,
			@DurationMin(millis = 0) @DurationMax(
					millis = Integer.MAX_VALUE) @DefaultValue("30s") Duration writeTimeout,
			@Min(1) @DefaultValue("10000") int maxConnections, @DefaultValue("ack") ReplyMode reply,
			@NotNull @DefaultValue(SEED_ACK) String ack, @DefaultValue("info") LogLevel logLevel,
			@Min(0) @DefaultValue("100") int logRate, @Min(1) @DefaultValue("1024") int backlog,
			@DefaultValue("true") boolean tcpNoDelay, @DefaultValue("true") boolean keepAlive,
			@DurationMin(seconds = 1) @DurationMax(
					seconds = MAX_KEEP_ALIVE_SECONDS) @DefaultValue("60s") Duration keepAliveIdle,
			@DurationMin(seconds = 1) @DurationMax(
					seconds = MAX_KEEP_ALIVE_SECONDS) @DefaultValue("10s") Duration keepAliveInterval,
			@Range(min = 1, max = 127) @DefaultValue("6") int keepAliveCount,
			@DefaultValue("off") ProxyProtocol proxyProtocol,
			@Valid @DefaultValue Ssl ssl) implements NamedListeners.Listener {

		/** Linux's largest {@code TCP_KEEPIDLE} and {@code TCP_KEEPINTVL}. */
		static final long MAX_KEEP_ALIVE_SECONDS = 32767;

		/**
		 * The acknowledgement must be something the listener's framing can carry, and so
		 * must the longest reply of {@code identify}.
		 */
		@Override
		public String ackProblem(String name, Instance instance) {
			if (this.framing == null || this.maxFrameSize == null
					|| this.maxFrameSize.toBytes() > Integer.MAX_VALUE - 8) {
				// Reported by the fields' own constraints.
				return null;
			}
			byte[] bytes = this.ack.getBytes(StandardCharsets.UTF_8);
			FrameCodec codec = this.framing.codec((int) this.maxFrameSize.toBytes());
			String problem = (bytes.length == 0) ? "must not be empty" : codec.checkEncodable(bytes);
			if (problem == null && this.reply == ReplyMode.IDENTIFY) {
				problem = codec.checkEncodable(new Identification(bytes, instance, name).longest());
				return (problem != null) ? "cannot be sent with framing " + this.framing.configName()
						+ " and reply identify, which adds the instance, the listener and the client: " + problem
						: null;
			}
			return (problem != null) ? "cannot be sent with framing " + this.framing.configName() + ": " + problem
					: null;
		}

		private TcpListenerSettings settings(String name) {
			return new TcpListenerSettings(name, this.host, this.port, this.framing, (int) this.maxFrameSize.toBytes(),
					this.idleTimeout, this.frameTimeout, this.writeTimeout, this.maxConnections, this.reply,
					this.ack.getBytes(StandardCharsets.UTF_8), this.logLevel, this.logRate, this.backlog,
					this.tcpNoDelay, this.keepAlive, this.keepAliveIdle, this.keepAliveInterval, this.keepAliveCount,
					this.proxyProtocol, this.ssl.settings(name));
		}

	}

	/**
	 * TLS on one listener's connections.
	 *
	 * @param bundle the Spring Boot SSL bundle ({@code spring.ssl.bundle.pem.*} or
	 * {@code spring.ssl.bundle.jks.*}) with the listener's certificate and key, and the
	 * trust material that checks client certificates; none for plain TCP
	 * @param clientAuth whether clients are asked for a certificate: {@code none},
	 * {@code want} (asked, not required) or {@code need} (required)
	 * @param handshakeTimeout a TLS handshake not done within this is failed and the
	 * connection closed
	 */
	public record Ssl(String bundle, @DefaultValue("none") TlsClientAuth clientAuth, @DurationMin(
			millis = 1) @DurationMax(millis = Integer.MAX_VALUE) @DefaultValue("10s") Duration handshakeTimeout) {

		private Ssl settings(String listener) {
			if (this.bundle == null && this.clientAuth != TlsClientAuth.NONE) {
				throw new InvalidConfigurationPropertyValueException(
						"wireport.tcp.listeners." + listener + ".ssl.client-auth", this.clientAuth,
						"client certificates need TLS: set wireport.tcp.listeners." + listener + ".ssl.bundle too");
			}
			return (this.bundle != null) ? this : null;
		}

	}

}
