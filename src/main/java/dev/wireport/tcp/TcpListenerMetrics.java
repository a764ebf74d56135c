package dev.wireport.tcp;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import dev.wireport.framing.FrameException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import static dev.wireport.listener.ListenerMeters.bytes;
import static dev.wireport.listener.ListenerMeters.counter;

/**
 * Every meter of one TCP listener, tagged {@code listener=<name>}. They are registered
 * once, when the listener starts, so counting a message is an increment, never a registry
 * lookup.
 */
final class TcpListenerMetrics {

	final Counter received;

	final Counter replied;

	final Counter bytesReceived;

	final Counter bytesSent;

	/**
	 * Messages answered and their handling time, measured per read (from its first
	 * message to its last reply) into one timer.
	 */
	private final LongAdder handledMessages = new LongAdder();

	private final LongAdder handlingNanos = new LongAdder();

	final Counter opened;

	final Counter closed;

	final Counter refused;

	final Counter stalled;

	final Counter lost;

	private final Map<FrameException.Reason, Counter> rejected = new EnumMap<>(FrameException.Reason.class);

	TcpListenerMetrics(String listener, AtomicInteger activeConnections, AtomicInteger pausedConnections,
			MeterRegistry registry) {
		this.received = counter("wireport.tcp.messages.received", "TCP messages received whole", listener, registry);
		this.replied = counter("wireport.tcp.messages.replied", "TCP replies written to the connection", listener,
				registry);
		this.bytesReceived = bytes("wireport.tcp.payload.received",
				"Payload bytes of the TCP messages received, framing excluded", listener, registry);
		this.bytesSent = bytes("wireport.tcp.payload.sent",
				"Payload bytes of the TCP replies written, framing excluded", listener, registry);
		FunctionTimer
			.builder("wireport.tcp.messages.handling", this, (metrics) -> metrics.handledMessages.sum(),
					(metrics) -> metrics.handlingNanos.sum(), TimeUnit.NANOSECONDS)
			.description("Time from a TCP message read whole to its reply written")
			.tag("listener", listener)
			.register(registry);
		this.opened = counter("wireport.tcp.connections.opened", "TCP connections accepted", listener, registry);
		this.closed = counter("wireport.tcp.connections.closed", "TCP connections closed after being served", listener,
				registry);
		this.refused = counter("wireport.tcp.connections.refused",
				"TCP connections refused because the listener was at its connection limit", listener, registry);
		this.stalled = counter("wireport.tcp.connections.stalled",
				"TCP connections closed because a reply stayed unwritten longer than the write timeout", listener,
				registry);
		this.lost = counter("wireport.tcp.connections.lost",
				"TCP connections ended by the network: the peer reset them, or keep-alive probes went unanswered",
				listener, registry);
		Gauge.builder("wireport.tcp.connections.active", activeConnections, AtomicInteger::get)
			.description("TCP connections open now")
			.tag("listener", listener)
			.register(registry);
		Gauge.builder("wireport.tcp.connections.paused", pausedConnections, AtomicInteger::get)
			.description("TCP connections not read now because their peer does not read its replies")
			.tag("listener", listener)
			.register(registry);
		for (FrameException.Reason reason : FrameException.Reason.values()) {
			this.rejected.put(reason,
					Counter.builder("wireport.tcp.frames.rejected")
						.description("TCP frames refused with an error reply; the connection was closed")
						.tag("listener", listener)
						.tag("reason", reason.tag())
						.register(registry));
		}
	}

	/**
	 * Counts one connection's traffic since it was last counted, and its replies'
	 * handling time: once per read, not per message, so that pipelined messages cost the
	 * shared meters little (a timer recorded per message was 10 % of the pipelined
	 * profile).
	 */
	void traffic(int messages, long payloadBytes, int replies, long replyBytes, long handlingNanos) {
		this.received.increment(messages);
		this.bytesReceived.increment(payloadBytes);
		this.replied.increment(replies);
		this.bytesSent.increment(replyBytes);
		this.handledMessages.add(replies);
		this.handlingNanos.add(handlingNanos);
	}

	void rejected(FrameException.Reason reason) {
		this.rejected.get(reason).increment();
	}

}
