package dev.wireport.udp;

import java.util.Locale;

import dev.wireport.io.EventLoops;
import dev.wireport.listener.ListenerGroup;
import dev.wireport.payload.Instance;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.health.contributor.Health;
import org.springframework.integration.channel.FixedSubscriberChannel;
import org.springframework.integration.dsl.IntegrationFlow;
import org.springframework.integration.dsl.context.IntegrationFlowContext;
import org.springframework.stereotype.Component;

/**
 * Starts one Spring Integration flow per configured UDP listener,
 * {@code NettyDatagramReceiver -> UdpMessageHandler}, on a Netty datagram channel of the
 * shared {@link EventLoops}, bound before the flow so that a port in use fails start-up.
 * By default the event loop handles each datagram, which never blocks; with handler
 * threads, datagrams wait for one in a bounded queue, and when it is full they are
 * dropped and counted.
 */
@Component
public class UdpListeners extends ListenerGroup<UdpListeners.Listener> {

	private static final Logger logger = LoggerFactory.getLogger(UdpListeners.class);

	/** Reply buckets kept at most per listener: bounds the limiter's memory. */
	static final int MAX_TRACKED_SOURCES = 65_536;

	private final UdpProperties properties;

	private final IntegrationFlowContext flowContext;

	private final MeterRegistry registry;

	private final EventLoops eventLoops;

	private final Instance instance;

	public UdpListeners(UdpProperties properties, IntegrationFlowContext flowContext, MeterRegistry registry,
			EventLoops eventLoops, Instance instance) {
		super("UDP", properties.listenerSettings().stream().map(UdpListenerSettings::name).toList());
		this.properties = properties;
		this.flowContext = flowContext;
		this.registry = registry;
		this.eventLoops = eventLoops;
		this.instance = instance;
	}

	@Override
	protected void startListeners() {
		this.properties.listenerSettings().forEach(this::register);
	}

	private void register(UdpListenerSettings settings) {
		UdpListenerMetrics metrics = new UdpListenerMetrics(settings.name(), this.registry);
		NettyDatagramReceiver receiver = new NettyDatagramReceiver(settings, this.eventLoops.datagramBootstrap(),
				metrics);
		int port = receiver.port();
		KernelDrops.forLocalPort(port).ifPresent((drops) -> metrics.registerKernelDrops(drops, this.registry));
		ReplyLimiter limiter = new ReplyLimiter(settings.replyRate(), settings.replyBurst(), MAX_TRACKED_SOURCES);
		UdpMessageHandler handler = new UdpMessageHandler(settings, receiver.channel(), limiter, metrics,
				this.instance);
		// The handler is called directly, as on the TCP listeners
		// (TcpListeners.Listener).
		receiver.setOutputChannel(new FixedSubscriberChannel(handler));
		IntegrationFlow flow = IntegrationFlow.from(receiver).handle(handler).get();
		this.flowContext.registration(flow).id("udp." + settings.name()).register();
		started(settings.name(), new Listener(settings, receiver));
		logger.info("UDP listener '{}' listening on {}:{}, replying {}", settings.name(), settings.host(), port,
				settings.repliesEnabled() ? settings.reply().name().toLowerCase(Locale.ROOT) : "never");
	}

	@Override
	protected int boundPort(Listener listener) {
		return listener.receiver().port();
	}

	/**
	 * Up while the listener's socket is bound and being read; with its address and reply
	 * settings.
	 */
	@Override
	protected Health health(Listener listener) {
		UdpListenerSettings settings = listener.settings();
		Health.Builder health = listener.receiver().isReceiving() ? Health.up()
				: Health.down().withDetail("reason", "not receiving");
		return health.withDetail("host", settings.host())
			.withDetail("port", listener.receiver().port())
			.withDetail("reply", settings.repliesEnabled() ? settings.reply().name().toLowerCase(Locale.ROOT) : "off")
			.withDetail("queued", listener.receiver().queued())
			.build();
	}

	/**
	 * Stops every listener's reading first, then answers what each already received and
	 * closes its channel; the event loops stop after every listener.
	 */
	@Override
	protected void stopListeners() {
		listeners().forEach((listener) -> listener.receiver().stop());
		listeners().forEach((listener) -> listener.receiver().close());
	}

	record Listener(UdpListenerSettings settings, NettyDatagramReceiver receiver) {

	}

}
