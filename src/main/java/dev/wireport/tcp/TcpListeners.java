package dev.wireport.tcp;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.wireport.io.EventLoops;
import dev.wireport.io.ListenerBindException;
import dev.wireport.payload.Instance;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.health.contributor.Health;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.integration.dsl.IntegrationFlow;
import org.springframework.integration.dsl.context.IntegrationFlowContext;
import org.springframework.integration.ip.dsl.Tcp;
import org.springframework.integration.ip.tcp.connection.TcpConnectionServerExceptionEvent;
import org.springframework.integration.ip.tcp.connection.TcpConnectionServerListeningEvent;
import org.springframework.stereotype.Component;

/**
 * Starts one Spring Integration flow per configured TCP listener,
 * {@code inbound adapter -> TcpMessageHandler -> outbound adapter} on one server
 * connection factory on Netty, all of them on the shared {@link EventLoops}, fails
 * start-up if a listener cannot bind, and drains the listeners at shutdown: stop
 * accepting, answer the messages already received, then close.
 */
@Component
public class TcpListeners implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(TcpListeners.class);

	private static final Duration BIND_TIMEOUT = Duration.ofSeconds(30);

	private final TcpProperties properties;

	private final IntegrationFlowContext flowContext;

	private final MeterRegistry registry;

	private final EventLoops eventLoops;

	private final Instance instance;

	private final Map<String, Listener> listeners = new LinkedHashMap<>();

	private volatile boolean running;

	public TcpListeners(TcpProperties properties, IntegrationFlowContext flowContext, MeterRegistry registry,
			EventLoops eventLoops, Instance instance) {
		this.properties = properties;
		this.flowContext = flowContext;
		this.registry = registry;
		this.eventLoops = eventLoops;
		this.instance = instance;
	}

	@Override
	public void start() {
		// Every listener is known before any flow starts: a flow's listening event comes
		// on its own thread and looks its listener up in the map, which must not be
		// changing then.
		Map<String, IntegrationFlow> flows = new LinkedHashMap<>();
		this.properties.listenerSettings().forEach((settings) -> flows.put(settings.name(), prepare(settings)));
		flows.forEach((name, flow) -> this.flowContext.registration(flow)
			.id("tcp." + name)
			.addBean("tcp." + name + ".connections", this.listeners.get(name).factory())
			.register());
		for (Listener listener : this.listeners.values()) {
			awaitBound(listener);
		}
		this.running = true;
	}

	/**
	 * Builds a listener's connection factory and flow, and records the listener.
	 * @return the flow, not yet started
	 */
	private IntegrationFlow prepare(TcpListenerSettings settings) {
		ListenerConnections connections = new ListenerConnections(settings, this.registry);
		NettyServerConnectionFactory factory = new NettyServerConnectionFactory(settings, connections, this.eventLoops);
		Listener listener = new Listener(settings, factory, connections, new CompletableFuture<>());
		this.listeners.put(settings.name(), listener);
		// Collaborating channel adapters, not an inbound gateway: the gateway sends each
		// message through a temporary reply channel, with a copy of the message for it;
		// the outbound adapter writes the reply to the connection its header names.
		return IntegrationFlow.from(Tcp.inboundAdapter(listener.factory()))
			.handle(new TcpMessageHandler(settings, this.instance))
			.handle(Tcp.outboundAdapter(listener.factory()))
			.get();
	}

	private void awaitBound(Listener listener) {
		TcpListenerSettings settings = listener.settings();
		String where = settings.host() + ":" + settings.port();
		try {
			int port = listener.bound().get(BIND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
			logger.info("TCP listener '{}' listening on {}:{} with framing {}, replying {}", settings.name(),
					settings.host(), port, settings.framing().configName(), settings.reply().name().toLowerCase());
		}
		catch (ExecutionException ex) {
			throw new ListenerBindException("TCP", settings.name(), settings.host(), settings.port(), ex.getCause());
		}
		catch (TimeoutException ex) {
			throw new IllegalStateException(
					"TCP listener '" + settings.name() + "' did not start listening on " + where + " in time", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while starting TCP listener '" + settings.name() + "'", ex);
		}
	}

	@EventListener
	void onListening(TcpConnectionServerListeningEvent event) {
		find(event.getSource()).bound().complete(event.getPort());
	}

	@EventListener
	void onServerFailure(TcpConnectionServerExceptionEvent event) {
		find(event.getSource()).bound().completeExceptionally(event.getCause());
	}

	private Listener find(Object factory) {
		return this.listeners.values()
			.stream()
			.filter((listener) -> listener.factory() == factory)
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("Event from an unknown connection factory: " + factory));
	}

	/**
	 * The port a listener is bound to, which differs from the configured one for port 0.
	 * @param name the listener's name
	 * @return the bound port
	 */
	public int port(String name) {
		Listener listener = this.listeners.get(name);
		if (listener == null) {
			throw new IllegalArgumentException("No TCP listener named '" + name + "'");
		}
		return listener.factory().getPort();
	}

	/**
	 * A listener's health: up while it is bound and accepting connections.
	 * @param name the listener's name
	 * @return the health, with the listener's address, framing and connections
	 */
	public Health health(String name) {
		Listener listener = this.listeners.get(name);
		if (listener == null) {
			return Health.down().withDetail("reason", "not started").build();
		}
		TcpListenerSettings settings = listener.settings();
		Health.Builder health = listener.factory().isListening() ? Health.up()
				: Health.down().withDetail("reason", "not accepting connections");
		return health.withDetail("host", settings.host())
			.withDetail("port", listener.factory().getPort())
			.withDetail("framing", settings.framing().configName())
			.withDetail("reply", settings.reply().name().toLowerCase(Locale.ROOT))
			.withDetail("connections", listener.connections().active())
			.withDetail("maxConnections", settings.maxConnections())
			.build();
	}

	/**
	 * Open connections of one listener.
	 * @param name the listener's name
	 * @return how many connections are open
	 */
	public int activeConnections(String name) {
		return this.listeners.get(name).connections().active();
	}

	@Override
	public void stop() {
		this.listeners.values().forEach((listener) -> listener.factory().stopAccepting());
		long deadline = System.nanoTime() + this.properties.drainTimeout().toNanos();
		for (Listener listener : this.listeners.values()) {
			try {
				Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
				if (!listener.connections().drain(left)) {
					logger.warn("TCP listener '{}': {} connections still open after the drain timeout; closing them",
							listener.settings().name(), listener.connections().active());
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/**
	 * Stops before the integration endpoints (lower phases stop later), so that the flows
	 * are still there to answer the messages drained.
	 */
	@Override
	public int getPhase() {
		return Integer.MAX_VALUE - 4096;
	}

	private record Listener(TcpListenerSettings settings, NettyServerConnectionFactory factory,
			ListenerConnections connections, CompletableFuture<Integer> bound) {
	}

}
