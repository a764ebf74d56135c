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
import dev.wireport.listener.ListenerGroup;
import dev.wireport.payload.Instance;
import dev.wireport.payload.MessageLog;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.event.EventListener;
import org.springframework.integration.channel.FixedSubscriberChannel;
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
public class TcpListeners extends ListenerGroup<TcpListeners.Listener> {

	private static final Logger logger = LoggerFactory.getLogger(TcpListeners.class);

	private static final Duration BIND_TIMEOUT = Duration.ofSeconds(30);

	private final TcpProperties properties;

	private final IntegrationFlowContext flowContext;

	private final MeterRegistry registry;

	private final EventLoops eventLoops;

	private final SslBundles sslBundles;

	private final Instance instance;

	public TcpListeners(TcpProperties properties, IntegrationFlowContext flowContext, MeterRegistry registry,
			EventLoops eventLoops, SslBundles sslBundles, Instance instance) {
		super("TCP", properties.listenerSettings().stream().map(TcpListenerSettings::name).toList());
		this.properties = properties;
		this.sslBundles = sslBundles;
		this.flowContext = flowContext;
		this.registry = registry;
		this.eventLoops = eventLoops;
		this.instance = instance;
	}

	@Override
	protected void startListeners() {
		// Every listener is known before any flow starts: a flow's listening event comes
		// on its own thread and looks its listener up, which must not be changing then.
		Map<Listener, IntegrationFlow> flows = new LinkedHashMap<>();
		this.properties.listenerSettings().forEach((settings) -> {
			Listener listener = prepare(settings);
			flows.put(listener, listener.flow(this.instance));
		});
		flows.forEach((listener, flow) -> this.flowContext.registration(flow)
			.id("tcp." + listener.settings().name())
			.addBean("tcp." + listener.settings().name() + ".connections", listener.factory())
			.register());
		for (Listener listener : listeners()) {
			awaitBound(listener);
		}
	}

	/**
	 * Builds a listener's connection factory, and records the listener.
	 */
	private Listener prepare(TcpListenerSettings settings) {
		MessageLog warnings = ListenerConnections.warnings(settings);
		ListenerTls tls = (settings.ssl() != null)
				? new ListenerTls(settings.name(), settings.ssl(), warnings, this.sslBundles, this.registry) : null;
		ListenerConnections connections = new ListenerConnections(settings, this.registry, warnings, tls);
		NettyServerConnectionFactory factory = new NettyServerConnectionFactory(settings, connections, this.eventLoops);
		Listener listener = new Listener(settings, factory, connections, new CompletableFuture<>());
		started(settings.name(), listener);
		return listener;
	}

	private void awaitBound(Listener listener) {
		TcpListenerSettings settings = listener.settings();
		String where = settings.host() + ":" + settings.port();
		try {
			int port = listener.bound().get(BIND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
			logger.info("TCP listener '{}' listening on {}:{} with framing {}, replying {}{}", settings.name(),
					settings.host(), port, settings.framing().configName(), settings.reply().name().toLowerCase(),
					(settings.ssl() != null)
							? ", TLS (" + ListenerTls.PROVIDER + ") from SSL bundle '" + settings.ssl().bundle() + "'"
							: "");
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
		for (Listener listener : listeners()) {
			if (listener.factory() == factory) {
				return listener;
			}
		}
		throw new IllegalStateException("Event from an unknown connection factory: " + factory);
	}

	@Override
	protected int boundPort(Listener listener) {
		return listener.factory().getPort();
	}

	/**
	 * Up while the listener is bound and accepting connections; with its address, framing
	 * and connections.
	 */
	@Override
	protected Health health(Listener listener) {
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
		return listener(name).connections().active();
	}

	/**
	 * Stops accepting on every listener, then drains each: the messages already received
	 * are answered before the connections close.
	 */
	@Override
	protected void stopListeners() {
		listeners().forEach((listener) -> listener.factory().stopAccepting());
		long deadline = System.nanoTime() + this.properties.drainTimeout().toNanos();
		for (Listener listener : listeners()) {
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
	}

	record Listener(TcpListenerSettings settings, NettyServerConnectionFactory factory, ListenerConnections connections,
			CompletableFuture<Integer> bound) {

		/**
		 * The listener's flow. Collaborating channel adapters, not an inbound gateway:
		 * the gateway sends each message through a temporary reply channel, with a copy
		 * of the message for it; the outbound adapter writes the reply to the connection
		 * its header names.
		 * <p>
		 * Fixed-subscriber channels between the endpoints: each has its one subscriber
		 * and calls it directly. A {@code DirectChannel} writes a volatile field of its
		 * own on every send (whether the application still runs), and as every event loop
		 * thread sends through the same channel, that one field went back and forth
		 * between the cores for every message: the largest single cost of a pipelined
		 * message (docs/performance.md). What such a channel cannot do, interceptors and
		 * several subscribers, this flow has no use for.
		 */
		IntegrationFlow flow(Instance instance) {
			TcpMessageHandler handler = new TcpMessageHandler(this.settings, instance);
			return IntegrationFlow.from(new ListenerInboundAdapter(this.factory, new FixedSubscriberChannel(handler)))
				.handle(handler)
				.fixedSubscriberChannel()
				.handle(Tcp.outboundAdapter(this.factory))
				.get();
		}

	}

}
