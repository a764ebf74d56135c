package dev.wireport.udp;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.health.contributor.Health;
import org.springframework.context.SmartLifecycle;
import org.springframework.integration.dsl.IntegrationFlow;
import org.springframework.integration.dsl.context.IntegrationFlowContext;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;

/**
 * Starts one Spring Integration flow per configured UDP listener,
 * {@code inbound adapter -> UdpMessageHandler}, on a socket bound here so that a port in
 * use fails start-up. Datagrams wait for a handler thread in a bounded queue; when it is
 * full they are dropped and counted, so a burst never stalls the socket.
 */
@Component
public class UdpListeners implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(UdpListeners.class);

	/** Asked of the kernel to absorb bursts; Linux caps it at net.core.rmem_max. */
	private static final int SOCKET_RECEIVE_BUFFER = 4 * 1024 * 1024;

	/** Reply buckets kept at most per listener: bounds the limiter's memory. */
	static final int MAX_TRACKED_SOURCES = 65_536;

	private final UdpProperties properties;

	private final IntegrationFlowContext flowContext;

	private final MeterRegistry registry;

	private final Map<String, Listener> listeners = new LinkedHashMap<>();

	private volatile boolean running;

	public UdpListeners(UdpProperties properties, IntegrationFlowContext flowContext, MeterRegistry registry) {
		this.properties = properties;
		this.flowContext = flowContext;
		this.registry = registry;
	}

	@Override
	public void start() {
		this.properties.listenerSettings().forEach(this::register);
		this.running = true;
	}

	private void register(UdpListenerSettings settings) {
		DatagramSocket socket = bind(settings);
		UdpListenerMetrics metrics = new UdpListenerMetrics(settings.name(), this.registry);
		DatagramReceiver receiver = new DatagramReceiver(settings, socket, metrics);
		ThreadPoolExecutor handlers = handlerThreads(settings, metrics);
		receiver.setTaskExecutor(handlers);
		ReplyLimiter limiter = new ReplyLimiter(settings.replyRate(), settings.replyBurst(), MAX_TRACKED_SOURCES);
		IntegrationFlow flow = IntegrationFlow.from(receiver)
			.handle(new UdpMessageHandler(settings, socket, limiter, metrics))
			.get();
		this.flowContext.registration(flow).id("udp." + settings.name()).register();
		this.listeners.put(settings.name(), new Listener(settings, socket, receiver, handlers));
		logger.info("UDP listener '{}' listening on {}:{}, replying {}", settings.name(), settings.host(),
				socket.getLocalPort(),
				settings.repliesEnabled() ? settings.reply().name().toLowerCase(Locale.ROOT) : "never");
	}

	private static DatagramSocket bind(UdpListenerSettings settings) {
		String where = settings.host() + ":" + settings.port();
		DatagramSocket socket = null;
		try {
			socket = new DatagramSocket(null);
			socket.setReceiveBufferSize(SOCKET_RECEIVE_BUFFER);
			socket.bind(new InetSocketAddress(settings.host(), settings.port()));
			return socket;
		}
		catch (IOException ex) {
			if (socket != null) {
				socket.close();
			}
			throw new IllegalStateException(
					"UDP listener '" + settings.name() + "' could not listen on " + where + ": " + ex.getMessage(), ex);
		}
	}

	/**
	 * The adapter runs its receiving loop on this pool too, hence one thread more than
	 * the handlers. A full queue drops the datagram and counts it instead of making the
	 * receiving thread wait.
	 */
	private static ThreadPoolExecutor handlerThreads(UdpListenerSettings settings, UdpListenerMetrics metrics) {
		CustomizableThreadFactory threads = new CustomizableThreadFactory("udp-" + settings.name() + "-");
		threads.setDaemon(true);
		int size = settings.handlerThreads() + 1;
		return new ThreadPoolExecutor(size, size, 0, TimeUnit.MILLISECONDS,
				new ArrayBlockingQueue<>(settings.queueCapacity()), threads,
				(datagram, executor) -> metrics.dropped.increment());
	}

	/**
	 * The port a listener is bound to, which differs from the configured one for port 0.
	 * @param name the listener's name
	 * @return the bound port
	 */
	public int port(String name) {
		Listener listener = this.listeners.get(name);
		if (listener == null) {
			throw new IllegalArgumentException("No UDP listener named '" + name + "'");
		}
		return listener.socket().getLocalPort();
	}

	/**
	 * A listener's health: up while its socket is bound and being read.
	 * @param name the listener's name
	 * @return the health, with the listener's address and reply settings
	 */
	public Health health(String name) {
		Listener listener = this.listeners.get(name);
		if (listener == null) {
			return Health.down().withDetail("reason", "not started").build();
		}
		UdpListenerSettings settings = listener.settings();
		Health.Builder health = (listener.receiver().isListening() && !listener.socket().isClosed()) ? Health.up()
				: Health.down().withDetail("reason", "not receiving");
		return health.withDetail("host", settings.host())
			.withDetail("port", listener.socket().getLocalPort())
			.withDetail("reply", settings.repliesEnabled() ? settings.reply().name().toLowerCase(Locale.ROOT) : "off")
			.withDetail("queued", listener.handlers().getQueue().size())
			.build();
	}

	@Override
	public void stop() {
		for (Listener listener : this.listeners.values()) {
			listener.receiver().stop();
			listener.handlers().shutdown();
		}
		for (Listener listener : this.listeners.values()) {
			try {
				// Datagrams already received are still answered.
				if (!listener.handlers().awaitTermination(5, TimeUnit.SECONDS)) {
					listener.handlers().shutdownNow();
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

	/** Stops before the integration endpoints, like the TCP listeners. */
	@Override
	public int getPhase() {
		return Integer.MAX_VALUE - 4096;
	}

	private record Listener(UdpListenerSettings settings, DatagramSocket socket, DatagramReceiver receiver,
			ThreadPoolExecutor handlers) {
	}

}
