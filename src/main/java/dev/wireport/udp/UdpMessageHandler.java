package dev.wireport.udp;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;

import dev.wireport.payload.MessageLog;
import dev.wireport.payload.Preview;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.integration.handler.AbstractMessageHandler;
import org.springframework.integration.ip.IpHeaders;
import org.springframework.messaging.Message;

/**
 * Logs each datagram and answers it with one datagram from the listening socket itself,
 * to the sender's address and port: the seed's client uses a connected socket and ignores
 * datagrams from any other port.
 */
class UdpMessageHandler extends AbstractMessageHandler {

	private static final Logger logger = LoggerFactory.getLogger(UdpMessageHandler.class);

	private final UdpListenerSettings settings;

	private final DatagramSocket socket;

	private final ReplyLimiter limiter;

	private final UdpListenerMetrics metrics;

	private final MessageLog log;

	UdpMessageHandler(UdpListenerSettings settings, DatagramSocket socket, ReplyLimiter limiter,
			UdpListenerMetrics metrics) {
		this.settings = settings;
		this.socket = socket;
		this.limiter = limiter;
		this.metrics = metrics;
		this.log = new MessageLog(logger, settings.logLevel(), settings.logRate(),
				"listener=" + settings.name() + " datagrams");
	}

	@Override
	protected void handleMessageInternal(Message<?> message) {
		byte[] payload = (byte[]) message.getPayload();
		InetSocketAddress sender = (InetSocketAddress) message.getHeaders().get(IpHeaders.PACKET_ADDRESS);
		this.metrics.received.increment();
		this.metrics.payloadReceived.increment(payload.length);
		if (this.log.admit()) {
			this.log.line()
				.log("listener={} remote={}:{} size={} payload=\"{}\"", this.settings.name(),
						sender.getAddress().getHostAddress(), sender.getPort(), payload.length,
						Preview.of(payload, MessageLog.PREVIEW_BYTES));
		}
		if (!this.settings.repliesEnabled()) {
			return;
		}
		if (!this.limiter.tryAcquire(sender.getAddress(), System.nanoTime())) {
			this.metrics.rateLimited.increment();
			return;
		}
		byte[] reply = this.settings.reply().reply(payload, this.settings.ack());
		try {
			this.socket.send(new DatagramPacket(reply, reply.length, sender));
			this.metrics.replied.increment();
			this.metrics.payloadSent.increment(reply.length);
		}
		catch (IOException ex) {
			logger.warn("listener={} remote={} reply failed: {}", this.settings.name(), sender, ex.getMessage());
		}
	}

}
