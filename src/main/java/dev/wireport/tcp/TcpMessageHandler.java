package dev.wireport.tcp;

import dev.wireport.payload.Preview;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

import org.springframework.integration.core.GenericHandler;
import org.springframework.integration.ip.IpHeaders;
import org.springframework.messaging.MessageHeaders;

/**
 * Logs each message a listener receives and answers it: the seed server's {@code process}
 * loop, one message at a time.
 */
class TcpMessageHandler implements GenericHandler<byte[]> {

	private static final Logger logger = LoggerFactory.getLogger(TcpMessageHandler.class);

	static final int PREVIEW_BYTES = 96;

	private final TcpListenerSettings settings;

	private final Level level;

	private final Counter received;

	private final Counter replied;

	private final Counter bytesReceived;

	private final Counter bytesSent;

	TcpMessageHandler(TcpListenerSettings settings, MeterRegistry registry) {
		this.settings = settings;
		this.level = switch (settings.logLevel()) {
			case TRACE -> Level.TRACE;
			case DEBUG -> Level.DEBUG;
			case INFO -> Level.INFO;
			case WARN -> Level.WARN;
			case ERROR, FATAL -> Level.ERROR;
			case OFF -> null;
		};
		String listener = settings.name();
		this.received = Counter.builder("wireport.tcp.messages.received")
			.tag("listener", listener)
			.description("TCP messages received whole")
			.register(registry);
		this.replied = Counter.builder("wireport.tcp.messages.replied")
			.tag("listener", listener)
			.description("TCP replies handed to the connection")
			.register(registry);
		this.bytesReceived = Counter.builder("wireport.tcp.bytes.received")
			.tag("listener", listener)
			.baseUnit("bytes")
			.description("TCP message payload bytes received, framing excluded")
			.register(registry);
		this.bytesSent = Counter.builder("wireport.tcp.bytes.sent")
			.tag("listener", listener)
			.baseUnit("bytes")
			.description("TCP reply payload bytes sent, framing excluded")
			.register(registry);
	}

	@Override
	public Object handle(byte[] payload, MessageHeaders headers) {
		this.received.increment();
		this.bytesReceived.increment(payload.length);
		if (this.level != null && logger.isEnabledForLevel(this.level)) {
			logger.atLevel(this.level)
				.log("listener={} connection={} remote={}:{} size={} payload=\"{}\"", this.settings.name(),
						headers.get(IpHeaders.CONNECTION_ID), headers.get(IpHeaders.IP_ADDRESS),
						headers.get(IpHeaders.REMOTE_PORT), payload.length, Preview.of(payload, PREVIEW_BYTES));
		}
		byte[] reply = this.settings.reply().reply(payload, this.settings.ack());
		this.replied.increment();
		this.bytesSent.increment(reply.length);
		return reply;
	}

}
