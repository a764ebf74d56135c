package dev.wireport.udp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.SynchronousQueue;
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
 * {@code inbound adapter -> UdpMessageHandler}, on a channel bound here so that a port in
 * use fails start-up. By default the receiving thread handles each datagram, which never
 * blocks; with handler threads, datagrams wait for one in a bounded queue, and when it is
 * full they are dropped and counted.
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
		DatagramChannel channel = bind(settings);
		int port = channel.socket().getLocalPort();
		UdpListenerMetrics metrics = new UdpListenerMetrics(settings.name(), this.registry);
		KernelDrops.forLocalPort(port).ifPresent((drops) -> metrics.registerKernelDrops(drops, this.registry));
		DatagramReceiver receiver = receiver(settings, channel, metrics);
		ThreadPoolExecutor handlers = handlerThreads(settings, metrics);
		receiver.setTaskExecutor(handlers);
		ReplyLimiter limiter = new ReplyLimiter(settings.replyRate(), settings.replyBurst(), MAX_TRACKED_SOURCES);
		IntegrationFlow flow = IntegrationFlow.from(receiver)
			.handle(new UdpMessageHandler(settings, channel, limiter, metrics))
			.get();
		this.flowContext.registration(flow).id("udp." + settings.name()).register();
		this.listeners.put(settings.name(), new Listener(settings, channel, receiver, handlers));
		logger.info("UDP listener '{}' listening on {}:{}, replying {}", settings.name(), settings.host(), port,
				settings.repliesEnabled() ? settings.reply().name().toLowerCase(Locale.ROOT) : "never");
	}

	private static DatagramChannel bind(UdpListenerSettings settings) {
		DatagramChannel channel = null;
		try {
			channel = DatagramChannel.open();
			channel.setOption(StandardSocketOptions.SO_RCVBUF, SOCKET_RECEIVE_BUFFER);
			channel.bind(new InetSocketAddress(settings.host(), settings.port()));
			return channel;
		}
		catch (IOException ex) {
			closeQuietly(channel);
			throw new IllegalStateException("UDP listener '" + settings.name() + "' could not listen on "
					+ settings.host() + ":" + settings.port() + ": " + ex.getMessage(), ex);
		}
	}

	private static DatagramReceiver receiver(UdpListenerSettings settings, DatagramChannel channel,
			UdpListenerMetrics metrics) {
		try {
			return new DatagramReceiver(settings, channel, metrics);
		}
		catch (IOException ex) {
			closeQuietly(channel);
			throw new IllegalStateException(
					"UDP listener '" + settings.name() + "' could not watch its channel: " + ex.getMessage(), ex);
		}
	}

	private static void closeQuietly(DatagramChannel channel) {
		if (channel != null) {
			try {
				channel.close();
			}
			catch (IOException ex) {
				logger.debug("Closing a channel that failed to open: {}", ex.getMessage());
			}
		}
	}

	/**
	 * The adapter runs its receiving loop on this pool too, hence one thread more than
	 * the handlers. A full queue drops the datagram and counts it instead of making the
	 * receiving thread wait; with no handler threads there is no queue.
	 */
	private static ThreadPoolExecutor handlerThreads(UdpListenerSettings settings, UdpListenerMetrics metrics) {
		CustomizableThreadFactory threads = new CustomizableThreadFactory("udp-" + settings.name() + "-");
		threads.setDaemon(true);
		int size = settings.handlerThreads() + 1;
		BlockingQueue<Runnable> queue = settings.handlesOnReceivingThread() ? new SynchronousQueue<>()
				: new ArrayBlockingQueue<>(settings.queueCapacity());
		return new ThreadPoolExecutor(size, size, 0, TimeUnit.MILLISECONDS, queue, threads,
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
		return listener.port();
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
		Health.Builder health = (listener.receiver().isListening() && listener.channel().isOpen()) ? Health.up()
				: Health.down().withDetail("reason", "not receiving");
		return health.withDetail("host", settings.host())
			.withDetail("port", listener.port())
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

	private record Listener(UdpListenerSettings settings, DatagramChannel channel, DatagramReceiver receiver,
			ThreadPoolExecutor handlers) {

		/** The bound port, which differs from the configured one for port 0. */
		int port() {
			return this.channel.socket().getLocalPort();
		}

	}

}
