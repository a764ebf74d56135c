package dev.wireport.udp;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;

import static dev.wireport.listener.ListenerMeters.bytes;
import static dev.wireport.listener.ListenerMeters.counter;

/**
 * Every meter of one UDP listener, tagged {@code listener=<name>}, registered once when
 * the listener starts.
 */
final class UdpListenerMetrics {

	private final String listener;

	final Counter received;

	final Counter replied;

	final Counter payloadReceived;

	final Counter payloadSent;

	final Counter truncated;

	final Counter empty;

	final Counter dropped;

	final Counter rateLimited;

	final Counter repliesDropped;

	private KernelDrops kernelDrops;

	UdpListenerMetrics(String listener, MeterRegistry registry) {
		this.listener = listener;
		this.received = counter("wireport.udp.datagrams.received", "UDP datagrams received whole and handled", listener,
				registry);
		this.replied = counter("wireport.udp.datagrams.replied", "UDP replies sent", listener, registry);
		this.payloadReceived = bytes("wireport.udp.payload.received", "Bytes of the UDP datagrams received whole",
				listener, registry);
		this.payloadSent = bytes("wireport.udp.payload.sent", "Bytes of the UDP replies sent", listener, registry);
		this.truncated = counter("wireport.udp.datagrams.truncated",
				"UDP datagrams longer than the listener's maximum size, dropped unanswered", listener, registry);
		this.empty = counter("wireport.udp.datagrams.empty", "Empty UDP datagrams, ignored", listener, registry);
		this.dropped = counter("wireport.udp.datagrams.dropped",
				"UDP datagrams dropped because the handler queue was full", listener, registry);
		this.rateLimited = counter("wireport.udp.datagrams.rate.limited",
				"UDP datagrams left unanswered because their source was over its reply rate", listener, registry);
		this.repliesDropped = counter("wireport.udp.replies.dropped",
				"UDP replies not sent because replies above the listener's high water mark were waiting for its socket",
				listener, registry);
	}

	/**
	 * Counts what the kernel dropped before the listener read it: a burst larger than the
	 * socket's receive buffer.
	 */
	void registerKernelDrops(KernelDrops drops, MeterRegistry registry) {
		// A function counter holds its object weakly and, once it is collected, stays at
		// its last value: the listener's metrics hold it for as long as the listener
		// runs.
		this.kernelDrops = drops;
		FunctionCounter.builder("wireport.udp.datagrams.overflowed", drops, KernelDrops::count)
			.description("UDP datagrams the kernel dropped because the listener's socket receive buffer was full")
			.tag("listener", this.listener)
			.register(registry);
	}

}
