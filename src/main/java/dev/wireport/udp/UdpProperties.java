package dev.wireport.udp;

import java.nio.charset.StandardCharsets;
import java.util.List;

import dev.wireport.config.ListenerList;
import dev.wireport.payload.ReplyMode;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.logging.LogLevel;
import org.springframework.util.unit.DataSize;

import static dev.wireport.config.ListenerList.or;
import static dev.wireport.config.ListenerList.positive;
import static dev.wireport.config.ListenerList.required;

/**
 * The UDP listeners, bound from {@code wireport.udp.*}. As with the TCP listeners, the
 * configured list is laid over the default list index by index (see
 * {@link ListenerList}), so {@code --wireport.udp.listeners[0].port=0} moves the default
 * listener and keeps its other settings; {@code enabled=false} removes a listener.
 *
 * @param listeners the listeners as configured
 */
@ConfigurationProperties("wireport.udp")
public record UdpProperties(List<Listener> listeners) {

	static final String PREFIX = "wireport.udp.listeners";

	/** The seed's acknowledgement, "server received the data successfully". */
	public static final String SEED_ACK = "server接收数据成功";

	/** The largest UDP payload over IPv4: 65,535 less the IP and UDP headers. */
	public static final int LARGEST_DATAGRAM = 65_507;

	private static final List<Listener> DEFAULTS = List
		.of(new Listener("seed", null, null, 8090, null, null, null, null, null, null, null, null, null, null));

	public UdpProperties {
		listeners = (listeners != null) ? List.copyOf(listeners) : List.of();
		resolve(listeners);
	}

	/**
	 * The enabled listeners with every default applied, validated.
	 * @return the listeners' settings, in configuration order
	 */
	public List<UdpListenerSettings> listenerSettings() {
		return resolve(this.listeners);
	}

	private static List<UdpListenerSettings> resolve(List<Listener> configured) {
		return ListenerList.resolve(PREFIX, configured, DEFAULTS, Listener::settings, UdpListenerSettings::name,
				UdpListenerSettings::port);
	}

	/**
	 * One UDP listener as configured; every field may be left unset.
	 *
	 * @param name names the listener in logs, metrics and health
	 * @param enabled {@code false} removes the listener
	 * @param host the address to bind (default {@code 0.0.0.0})
	 * @param port the port, 0 for an ephemeral one
	 * @param maxDatagramSize the largest datagram handled; a longer one is counted as
	 * truncated and dropped (default and at most 65507B)
	 * @param reply {@code ack} or {@code echo}
	 * @param ack the acknowledgement text, sent in UTF-8 (default the seed's)
	 * @param repliesEnabled {@code false} receives and counts without answering
	 * @param replyRate replies per second allowed to one source address (default 100)
	 * @param replyBurst replies one source address may get at once (default 200)
	 * @param logLevel the level of the per-datagram log line (default {@code info})
	 * @param logRate the most datagrams logged per second, the others counted in one line
	 * (default 100; 0 for no limit)
	 * @param queueCapacity datagrams waiting for a handler thread; beyond it they are
	 * dropped and counted (default 10000)
	 * @param handlerThreads threads that log and answer datagrams instead of the event
	 * loop (default 0: the event loop handles each datagram, which never blocks, and a
	 * burst waits in the socket's receive buffer); more let a burst wait in a queue of
	 * {@code queue-capacity} instead, at the cost of a thread hand-off per datagram
	 */
	public record Listener(String name, Boolean enabled, String host, Integer port, DataSize maxDatagramSize,
			ReplyMode reply, String ack, Boolean repliesEnabled, Double replyRate, Integer replyBurst,
			LogLevel logLevel, Integer logRate, Integer queueCapacity,
			Integer handlerThreads) implements ListenerList.Configured<Listener> {

		@Override
		public Listener over(Listener defaults) {
			return new Listener(or(name, defaults.name), or(enabled, defaults.enabled), or(host, defaults.host),
					or(port, defaults.port), or(maxDatagramSize, defaults.maxDatagramSize), or(reply, defaults.reply),
					or(ack, defaults.ack), or(repliesEnabled, defaults.repliesEnabled),
					or(replyRate, defaults.replyRate), or(replyBurst, defaults.replyBurst),
					or(logLevel, defaults.logLevel), or(logRate, defaults.logRate),
					or(queueCapacity, defaults.queueCapacity), or(handlerThreads, defaults.handlerThreads));
		}

		UdpListenerSettings settings(String property) {
			String checkedName = ListenerList.name(property + ".name", this.name);
			int checkedPort = ListenerList.port(property + ".port", this.port);
			long datagramBytes = or(this.maxDatagramSize, DataSize.ofBytes(LARGEST_DATAGRAM)).toBytes();
			if (datagramBytes < 1 || datagramBytes > LARGEST_DATAGRAM) {
				throw new InvalidConfigurationPropertyValueException(property + ".max-datagram-size",
						this.maxDatagramSize, "must be between 1B and " + LARGEST_DATAGRAM + "B");
			}
			double rate = or(this.replyRate, 100.0);
			if (!(rate > 0) || Double.isInfinite(rate)) {
				throw new InvalidConfigurationPropertyValueException(property + ".reply-rate", rate,
						"must be a positive number of replies per second");
			}
			byte[] ackBytes = or(this.ack, SEED_ACK).getBytes(StandardCharsets.UTF_8);
			if (ackBytes.length == 0 || ackBytes.length > LARGEST_DATAGRAM) {
				throw new InvalidConfigurationPropertyValueException(property + ".ack", this.ack,
						"must be between 1 and " + LARGEST_DATAGRAM + " bytes in UTF-8");
			}
			String checkedHost = ListenerList.host(property + ".host", this.host);
			return new UdpListenerSettings(checkedName, checkedHost, checkedPort, (int) datagramBytes,
					or(this.reply, ReplyMode.ACK), ackBytes, or(this.repliesEnabled, true), rate,
					positive(property + ".reply-burst", or(this.replyBurst, 200)), or(this.logLevel, LogLevel.INFO),
					ListenerList.logRate(property + ".log-rate", or(this.logRate, 100)),
					positive(property + ".queue-capacity", or(this.queueCapacity, 10_000)),
					ListenerList.zeroOrMore(property + ".handler-threads", or(this.handlerThreads, 0),
							"a number of threads, or 0 to handle datagrams on the event loop"));
		}

	}

}
