package dev.wireport.udp;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import dev.wireport.io.ListenerBindException;
import dev.wireport.listener.ListenerMessageHeaders;
import dev.wireport.payload.MessageLog;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.DatagramPacket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.integration.endpoint.MessageProducerSupport;
import org.springframework.integration.ip.IpHeaders;
import org.springframework.messaging.support.GenericMessage;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * A Spring Integration message producer on a Netty datagram channel: one message per
 * datagram, its payload the datagram's bytes and its one header the sender's address
 * ({@link IpHeaders#PACKET_ADDRESS}), the only header the flow reads, in
 * {@link ListenerMessageHeaders}, which take that one-entry map as it is instead of
 * copying it.
 *
 * <p>
 * Each read receives into a buffer one byte larger than the maximum datagram size: a
 * datagram that fills it was longer than the limit and the kernel cut it, so it is
 * counted as truncated and dropped rather than handled as if whole. Empty datagrams are
 * ignored.
 *
 * <p>
 * With {@code handler-threads: 0}, the default, the channel's event loop handles each
 * datagram itself: handling never blocks (the log line is queued, a reply that cannot be
 * written at once is dropped), and it saves a thread hand-off per datagram. Otherwise
 * datagrams are handed to that many handler threads through a queue of
 * {@code queue-capacity}; a datagram that finds the queue full is dropped and counted.
 *
 * <p>
 * The channel is bound without reading: reading starts when the producer starts, so no
 * datagram is received before the flow can take it, and stops when it stops.
 */
final class NettyDatagramReceiver extends MessageProducerSupport {

	private static final Logger logger = LoggerFactory.getLogger(NettyDatagramReceiver.class);

	/** Asked of the kernel to absorb bursts; Linux caps it at net.core.rmem_max. */
	private static final int SOCKET_RECEIVE_BUFFER = 4 * 1024 * 1024;

	/**
	 * Asked of the kernel for replies waiting to leave (Linux caps it at
	 * net.core.wmem_max). A reply to a sender on the local network that vanished waits in
	 * the kernel while its address is looked up again (about 3 s), up to 208 KiB per
	 * address, and counts against this buffer meanwhile: with the default of 208 KiB, one
	 * vanished sender owed a few hundred replies filled it, and every other sender's
	 * replies waited behind for seconds at a time. This holds the queues of a dozen such
	 * addresses.
	 */
	private static final int SOCKET_SEND_BUFFER = 4 * 1024 * 1024;

	/**
	 * At most this many datagrams of one listener in one turn of its event loop, before
	 * the loop serves the other sockets it shares: a flood on one port delays the others
	 * by a few tens of microseconds at most, and a burst waits in the socket's receive
	 * buffer meanwhile.
	 */
	private static final int READS_PER_TURN = 32;

	/**
	 * Replies waiting for the socket beyond this many bytes make the channel unwritable,
	 * and replies are then dropped and counted until it is below the low mark: room for a
	 * few of the largest echoes.
	 */
	static final int HIGH_WATER_MARK = 256 * 1024;

	static final int LOW_WATER_MARK = 128 * 1024;

	private static final long DRAIN_SECONDS = 5;

	private final UdpListenerSettings settings;

	private final UdpListenerMetrics metrics;

	/**
	 * Warnings a sender causes (a datagram too long, a reply that cannot be sent to it):
	 * a flood of them is limited to the listener's log-rate and written off the event
	 * loop; the meters count every one.
	 */
	private final MessageLog warnings;

	/** The handler threads, or {@code null} for {@code handler-threads: 0}. */
	private final ThreadPoolExecutor handlers;

	private final Channel channel;

	private final int port;

	/**
	 * Binds the listener's socket, not yet reading.
	 * @param settings the listener
	 * @param bootstrap a datagram bootstrap on the shared event loops
	 * @param metrics the listener's meters
	 * @throws IllegalStateException naming the listener if the address cannot be bound
	 */
	NettyDatagramReceiver(UdpListenerSettings settings, Bootstrap bootstrap, UdpListenerMetrics metrics) {
		this.settings = settings;
		this.metrics = metrics;
		this.warnings = MessageLog.warnings(logger, settings.name(), settings.logRate());
		this.handlers = settings.handlesOnReceivingThread() ? null : handlerThreads(settings, metrics);
		ChannelFuture bound = bootstrap.option(ChannelOption.SO_RCVBUF, SOCKET_RECEIVE_BUFFER)
			.option(ChannelOption.SO_SNDBUF, SOCKET_SEND_BUFFER)
			// Each read takes a buffer of the largest datagram (64 KiB by default),
			// which Netty's default allocator serves unpooled: a malloc and a free
			// per datagram, a quarter of the UDP profile. The pooled allocator keeps
			// such buffers.
			.option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
			.option(ChannelOption.AUTO_READ, false)
			// A datagram shorter than the buffer says nothing of whether more are
			// queued: the turn ends when a read finds none, or after READS_PER_TURN
			// (NIO otherwise stops after one datagram per wake-up).
			.option(ChannelOption.RECVBUF_ALLOCATOR,
					new FixedRecvByteBufAllocator(settings.maxDatagramSize() + 1).respectMaybeMoreData(false)
						.maxMessagesPerRead(READS_PER_TURN))
			.option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(LOW_WATER_MARK, HIGH_WATER_MARK))
			.handler(new Reader())
			.bind(settings.host(), settings.port())
			.awaitUninterruptibly();
		if (!bound.isSuccess()) {
			bound.channel().close();
			if (this.handlers != null) {
				this.handlers.shutdownNow();
			}
			throw new ListenerBindException("UDP", settings.name(), settings.host(), settings.port(), bound.cause());
		}
		this.channel = bound.channel();
		this.port = ((InetSocketAddress) this.channel.localAddress()).getPort();
	}

	/**
	 * A full queue, or one that no longer takes datagrams because the listener is
	 * stopping, drops the datagram and counts it instead of making the event loop wait.
	 */
	private static ThreadPoolExecutor handlerThreads(UdpListenerSettings settings, UdpListenerMetrics metrics) {
		CustomizableThreadFactory threads = new CustomizableThreadFactory("udp-" + settings.name() + "-");
		threads.setDaemon(true);
		return new ThreadPoolExecutor(settings.handlerThreads(), settings.handlerThreads(), 0, TimeUnit.MILLISECONDS,
				new ArrayBlockingQueue<>(settings.queueCapacity()), threads,
				(datagram, executor) -> metrics.dropped.increment());
	}

	/**
	 * The channel the listener receives on and replies from.
	 * @return the bound channel
	 */
	Channel channel() {
		return this.channel;
	}

	/**
	 * The bound port, which differs from the configured one for port 0.
	 * @return the port
	 */
	int port() {
		return this.port;
	}

	/**
	 * Whether the listener is receiving.
	 * @return {@code true} while started and its channel is open
	 */
	boolean isReceiving() {
		return isRunning() && this.channel.isActive();
	}

	/**
	 * Datagrams waiting for a handler thread.
	 * @return the queue's length, 0 without handler threads
	 */
	int queued() {
		return (this.handlers != null) ? this.handlers.getQueue().size() : 0;
	}

	@Override
	protected void doStart() {
		this.channel.config().setAutoRead(true);
	}

	/**
	 * Stops reading, on the event loop so that no read is under way once this returns:
	 * every datagram received until then is either handled or handed to the handler
	 * threads.
	 */
	@Override
	protected void doStop() {
		if (this.channel.isOpen()) {
			this.channel.eventLoop().submit(() -> this.channel.config().setAutoRead(false)).awaitUninterruptibly();
		}
	}

	/**
	 * Answers the datagrams already handed to the handler threads, then closes the
	 * channel; the listener is stopped first.
	 */
	void close() {
		if (this.handlers != null) {
			this.handlers.shutdown();
			try {
				if (!this.handlers.awaitTermination(DRAIN_SECONDS, TimeUnit.SECONDS)) {
					logger.warn("listener={} {} datagrams still queued after {} s, not answered", this.settings.name(),
							this.handlers.shutdownNow().size(), DRAIN_SECONDS);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		this.channel.close().awaitUninterruptibly();
	}

	private void handle(byte[] datagram, InetSocketAddress sender) {
		try {
			sendMessage(new GenericMessage<>(datagram,
					new ListenerMessageHeaders(Map.of(IpHeaders.PACKET_ADDRESS, sender), System.currentTimeMillis())));
		}
		catch (RuntimeException ex) {
			logger.error("listener={} remote={} datagram not handled", this.settings.name(), sender, ex);
		}
	}

	/**
	 * The channel's one handler: checks each datagram and hands it on, on the event loop.
	 */
	private final class Reader extends SimpleChannelInboundHandler<DatagramPacket> {

		@Override
		protected void channelRead0(ChannelHandlerContext context, DatagramPacket packet) {
			ByteBuf content = packet.content();
			InetSocketAddress sender = packet.sender();
			UdpListenerSettings settings = NettyDatagramReceiver.this.settings;
			if (content.readableBytes() > settings.maxDatagramSize()) {
				NettyDatagramReceiver.this.metrics.truncated.increment();
				NettyDatagramReceiver.this.warnings.logIfAdmitted(
						"listener={} remote={} datagram longer than the maximum of {} bytes: truncated, dropped",
						settings.name(), sender, settings.maxDatagramSize());
				return;
			}
			if (!content.isReadable()) {
				NettyDatagramReceiver.this.metrics.empty.increment();
				return;
			}
			byte[] datagram = ByteBufUtil.getBytes(content);
			if (NettyDatagramReceiver.this.handlers == null) {
				handle(datagram, sender);
			}
			else {
				NettyDatagramReceiver.this.handlers.execute(() -> handle(datagram, sender));
			}
		}

		@Override
		public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
			NettyDatagramReceiver.this.warnings.logIfAdmitted("listener={} receive or reply failed: {}",
					NettyDatagramReceiver.this.settings.name(), cause.toString());
		}

	}

}
