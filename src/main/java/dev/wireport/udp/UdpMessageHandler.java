package dev.wireport.udp;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

import dev.wireport.payload.MessageLog;
import dev.wireport.payload.Preview;
import dev.wireport.payload.Identification;
import dev.wireport.payload.Instance;
import dev.wireport.payload.ReplyMode;
import io.netty.buffer.ByteBuf;
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

	/**
	 * The acknowledgement, copied once into direct memory: each ack reply is a view of
	 * it, which the transport sends without allocating or copying its bytes.
	 */
	private final ByteBuf ack;

	/** The replies of {@code identify}; {@code null} in the other modes. */
	private final Identification identification;

	UdpMessageHandler(UdpListenerSettings settings, Channel channel, ReplyLimiter limiter, UdpListenerMetrics metrics,
			Instance instance) {
		this.settings = settings;
		this.identification = (settings.reply() == ReplyMode.IDENTIFY)
				? new Identification(settings.ack(), instance, settings.name()) : null;
		this.channel = channel;
		this.limiter = limiter;
		this.metrics = metrics;
		this.log = new MessageLog(logger, settings.logLevel(), settings.logRate(),
				"listener=" + settings.name() + " datagrams");
		this.ack = Unpooled.unreleasableBuffer(
				Unpooled.wrappedBuffer(ByteBuffer.allocateDirect(settings.ack().length).put(settings.ack()).flip()));
	}

	@Override
	protected void handleMessageInternal(Message<?> message) {
		byte[] payload = (byte[]) message.getPayload();
		InetSocketAddress sender = (InetSocketAddress) message.getHeaders().get(IpHeaders.PACKET_ADDRESS);
		this.metrics.received.increment();
		this.metrics.payloadReceived.increment(payload.length);
		if (this.log.admit(message.getHeaders().getTimestamp())) {
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
		ByteBuf reply = switch (this.settings.reply()) {
			case ACK -> this.ack.duplicate();
			case ECHO -> Unpooled.wrappedBuffer(payload);
			case IDENTIFY -> Unpooled
				.wrappedBuffer(this.identification.reply(sender.getAddress().getHostAddress(), sender.getPort()));
		};
		this.metrics.replied.increment();
		this.metrics.payloadSent.increment(reply.readableBytes());
		// No promise per reply: a reply the kernel refuses (rare for UDP) reaches the
		// channel's handler as an exception and is logged there, and the future and
		// listener per datagram showed plainly in the event loop's profile under load.
		this.channel.writeAndFlush(new DatagramPacket(reply, sender), this.channel.voidPromise());
	}

}
