package dev.wireport.udp;

import java.net.InetSocketAddress;

import dev.wireport.payload.MessageLog;
import dev.wireport.payload.Preview;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.socket.DatagramPacket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.integration.handler.AbstractMessageHandler;
import org.springframework.integration.ip.IpHeaders;
import org.springframework.messaging.Message;

/**
 * Logs each datagram and answers it with one datagram from the listening channel itself,
 * to the sender's address and port: the seed's client uses a connected socket and ignores
 * datagrams from any other port. Nothing here waits: the log line is queued, and a reply
 * that finds the channel unwritable (replies above its high water mark already waiting
 * for the socket) is dropped and counted rather than queued without bound.
 */
class UdpMessageHandler extends AbstractMessageHandler {

	private static final Logger logger = LoggerFactory.getLogger(UdpMessageHandler.class);

	private final UdpListenerSettings settings;

	private final Channel channel;

	private final ReplyLimiter limiter;

	private final UdpListenerMetrics metrics;

	private final MessageLog log;

	UdpMessageHandler(UdpListenerSettings settings, Channel channel, ReplyLimiter limiter, UdpListenerMetrics metrics) {
		this.settings = settings;
		this.channel = channel;
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
			this.log.log("listener={} remote={}:{} size={} payload=\"{}\"", this.settings.name(),
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
		if (!this.channel.isWritable()) {
			this.metrics.repliesDropped.increment();
			return;
		}
		byte[] reply = this.settings.reply().reply(payload, this.settings.ack());
		this.channel.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(reply), sender)).addListener((sent) -> {
			if (sent.isSuccess()) {
				this.metrics.replied.increment();
				this.metrics.payloadSent.increment(reply.length);
			}
			else {
				logger.warn("listener={} remote={} reply failed: {}", this.settings.name(), sender,
						sent.cause().toString());
			}
		});
	}

}
