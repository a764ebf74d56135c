package dev.wireport.listener;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * How every listener meter is made: registered once, when its listener starts, and tagged
 * {@code listener=<name>}, so counting is an increment, never a registry lookup.
 */
public final class ListenerMeters {

	private ListenerMeters() {
	}

	/**
	 * A counter of events.
	 * @param name the meter's name
	 * @param description what it counts
	 * @param listener the listener's name
	 * @param registry where it is registered
	 * @return the counter
	 */
	public static Counter counter(String name, String description, String listener, MeterRegistry registry) {
		return Counter.builder(name).description(description).tag("listener", listener).register(registry);
	}

	/**
	 * A counter of bytes.
	 * @param name the meter's name
	 * @param description which bytes it counts
	 * @param listener the listener's name
	 * @param registry where it is registered
	 * @return the counter
	 */
	public static Counter bytes(String name, String description, String listener, MeterRegistry registry) {
		return Counter.builder(name)
			.description(description)
			.baseUnit("bytes")
			.tag("listener", listener)
			.register(registry);
	}

}
