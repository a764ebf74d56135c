package dev.wireport.listener;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.SmartLifecycle;

/**
 * The configured listeners of one protocol, started and stopped by Spring, each known by
 * its name: its bound port, and its health as one child of the protocol's health
 * component.
 *
 * @param <L> a started listener
 */
public abstract class ListenerGroup<L> implements SmartLifecycle {

	private final String protocol;

	private final List<String> names;

	private final Map<String, L> started = new LinkedHashMap<>();

	private volatile boolean running;

	/**
	 * Creates the group of a protocol's listeners.
	 * @param protocol {@code TCP} or {@code UDP}, for messages
	 * @param names the names of the enabled listeners, known before any starts so that
	 * health reports one that failed to start
	 */
	protected ListenerGroup(String protocol, List<String> names) {
		this.protocol = protocol;
		this.names = List.copyOf(names);
	}

	@Override
	public final void start() {
		startListeners();
		this.running = true;
	}

	/**
	 * Starts every listener and records each with {@link #started(String, Object)};
	 * throws if one cannot listen, which fails start-up.
	 */
	protected abstract void startListeners();

	/**
	 * Records a listener that started.
	 * @param name its name
	 * @param listener the listener
	 */
	protected final void started(String name, L listener) {
		this.started.put(name, listener);
	}

	/**
	 * The listeners started so far, in the order they started.
	 * @return the listeners
	 */
	protected final Iterable<L> listeners() {
		return this.started.values();
	}

	@Override
	public final void stop() {
		stopListeners();
		this.running = false;
	}

	/**
	 * Stops taking new work, answers what was already received, then closes.
	 */
	protected abstract void stopListeners();

	@Override
	public final boolean isRunning() {
		return this.running;
	}

	/**
	 * Stops before the integration endpoints (lower phases stop later), so that the flows
	 * are still there to answer what the listeners drain.
	 */
	@Override
	public final int getPhase() {
		return Integer.MAX_VALUE - 4096;
	}

	/**
	 * The port a listener is bound to, which differs from the configured one for port 0.
	 * @param name the listener's name
	 * @return the bound port
	 */
	public final int port(String name) {
		return boundPort(listener(name));
	}

	/**
	 * A listener that started.
	 * @param name its name
	 * @return the listener
	 * @throws IllegalArgumentException if no listener of that name started
	 */
	protected final L listener(String name) {
		L listener = this.started.get(name);
		if (listener == null) {
			throw new IllegalArgumentException("No " + this.protocol + " listener named '" + name + "'");
		}
		return listener;
	}

	protected abstract int boundPort(L listener);

	/**
	 * A listener's health: up while it serves.
	 * @param name the listener's name
	 * @return the health, with the listener's details
	 */
	public final Health health(String name) {
		L listener = this.started.get(name);
		return (listener != null) ? health(listener) : Health.down().withDetail("reason", "not started").build();
	}

	protected abstract Health health(L listener);

	/**
	 * The protocol's health component, one child per configured listener; part of the
	 * readiness group, so a pod whose listeners do not serve takes no traffic.
	 * @return the contributor
	 */
	public final CompositeHealthContributor healthContributor() {
		Map<String, String> children = new LinkedHashMap<>();
		this.names.forEach((name) -> children.put(name, name));
		return CompositeHealthContributor.fromMap(children, (name) -> (HealthIndicator) () -> health(name));
	}

}
