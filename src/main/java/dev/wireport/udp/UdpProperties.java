package dev.wireport.udp;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.wireport.config.DataSizeRange;
import dev.wireport.config.NamedListeners;
import dev.wireport.payload.Identification;
import dev.wireport.payload.Instance;
import dev.wireport.payload.ReplyMode;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import org.hibernate.validator.constraints.Range;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.logging.LogLevel;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The UDP listeners, bound from {@code wireport.udp.*}. As with the TCP listeners, each
 * listener is keyed by its name, so {@code --wireport.udp.listeners.seed.port=0} moves
 * the default listener and keeps its other settings; {@code enabled=false} removes one.
 *
 * @param listeners the listeners, keyed by a name of letters, digits, dashes and
 * underscores that logs, metrics and health use; the jar defines seed
 */
@Validated
@ConfigurationProperties(prefix = "wireport.udp", ignoreUnknownFields = false)
public record UdpProperties(Map<@Pattern(regexp = NamedListeners.NAME,
		message = NamedListeners.NAME_MESSAGE) String, @Valid Listener> listeners)
		implements
			NamedListeners<UdpProperties.Listener> {

	/** The seed's acknowledgement, "server received the data successfully". */
	public static final String SEED_ACK = "server接收数据成功";

	/** The largest UDP payload over IPv4: 65,535 less the IP and UDP headers. */
	public static final int LARGEST_DATAGRAM = 65_507;

	public UdpProperties {
		// By name: the order of a map merged from several sources says nothing.
		listeners = Collections.unmodifiableSortedMap((listeners != null) ? new TreeMap<>(listeners) : new TreeMap<>());
	}

	/**
	 * The enabled listeners, each with every default applied.
	 * @return the listeners' settings, in order of name
	 */
	public List<UdpListenerSettings> listenerSettings() {
		return enabled((name, listener) -> listener.settings(name));
	}

	@Override
	public String protocol() {
		return "UDP";
	}

	/**
	 * One UDP listener. {@code port} has no default: a listener the jar does not define
	 * needs one.
	 *
	 * @param enabled {@code false} removes the listener
	 * @param host the address to bind
	 * @param port the port, 0 for an ephemeral one
	 * @param maxDatagramSize the largest datagram handled (at most 65507B, the largest
	 * UDP payload over IPv4); a longer one is counted as truncated and dropped
	 * @param reply {@code ack}, {@code echo}, or {@code identify}: the ack, then the
	 * instance's name, the listener's and the client's address
	 * @param ack the acknowledgement text, sent in UTF-8
	 * @param repliesEnabled {@code false} receives, logs and counts without answering
	 * @param replyRate replies per second allowed to one source address
	 * @param replyBurst replies one source address may get at once
	 * @param logLevel the level of the per-datagram log line ({@code off} for none)
	 * @param logRate the most datagrams logged per second, the others counted in one
	 * line; also the most warnings a second that senders cause (datagrams too long,
	 * replies that cannot be sent) (0 for no limit)
	 * @param queueCapacity datagrams waiting for a handler thread when
	 * {@code handler-threads} is above 0; beyond it they are dropped and counted
	 * @param handlerThreads threads that log and answer datagrams instead of the event
	 * loop (0: the event loop handles each datagram, which never blocks, and a burst
	 * waits in the socket's receive buffer); more let a burst wait in a queue of
	 * {@code queue-capacity} instead, at the cost of a thread hand-off per datagram
	 */
	public record Listener(@DefaultValue("true") boolean enabled, @NotBlank @DefaultValue("0.0.0.0") String host,
			@NotNull @Range(min = 0, max = 65535) Integer port,
			@DataSizeRange(min = 1, max = LARGEST_DATAGRAM) @DefaultValue("65507B") DataSize maxDatagramSize,
			@DefaultValue("ack") ReplyMode reply, @NotNull @DefaultValue(SEED_ACK) String ack,
			@DefaultValue("true") boolean repliesEnabled,
			@Positive @DecimalMax("1.7976931348623157E308") @DefaultValue("100") double replyRate,
			@Min(1) @DefaultValue("200") int replyBurst, @DefaultValue("info") LogLevel logLevel,
			@Min(0) @DefaultValue("100") int logRate, @Min(1) @DefaultValue("10000") int queueCapacity,
			@Min(0) @DefaultValue("0") int handlerThreads) implements NamedListeners.Listener {

		/**
		 * The acknowledgement's size in bytes, which no constraint on a string can check,
		 * and with reply {@code identify} the size of its longest reply.
		 */
		@Override
		public String ackProblem(String name, Instance instance) {
			byte[] bytes = this.ack.getBytes(StandardCharsets.UTF_8);
			if (bytes.length == 0 || bytes.length > LARGEST_DATAGRAM) {
				return "must be between 1 and " + LARGEST_DATAGRAM + " bytes in UTF-8";
			}
			return (this.reply == ReplyMode.IDENTIFY
					&& new Identification(bytes, instance, name).longest().length > LARGEST_DATAGRAM)
							? "with reply identify, which adds the instance, the listener and the client, must leave"
									+ " room for them within " + LARGEST_DATAGRAM + " bytes"
							: null;
		}

		private UdpListenerSettings settings(String name) {
			return new UdpListenerSettings(name, this.host, this.port, (int) this.maxDatagramSize.toBytes(), this.reply,
					this.ack.getBytes(StandardCharsets.UTF_8), this.repliesEnabled, this.replyRate, this.replyBurst,
					this.logLevel, this.logRate, this.queueCapacity, this.handlerThreads);
		}

	}

}
