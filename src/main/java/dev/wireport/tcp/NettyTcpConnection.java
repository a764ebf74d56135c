package dev.wireport.tcp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.net.ssl.SSLSession;

import dev.wireport.framing.FrameCodec;
import dev.wireport.framing.FrameDecoder;
import dev.wireport.framing.FrameException;
import dev.wireport.listener.ListenerMessageHeaders;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.WriteTimeoutException;
import io.netty.util.concurrent.ScheduledFuture;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.integration.ip.IpHeaders;
import org.springframework.integration.ip.tcp.connection.TcpConnectionSupport;
import org.springframework.integration.ip.tcp.connection.TcpListener;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.GenericMessage;

/**
 * A Spring Integration server connection on a Netty channel. The framing's decoder hands
 * it each frame; the frame goes through the listener's flow at once, on the channel's
 * event loop, and the replies of one read collect in one buffer written when the read is
 * done (or every {@value #REPLY_CHUNK} bytes), so pipelined requests get their replies in
 * one write and a lone request gets its reply at once.
 *
 * <p>
 * Bounded: when the replies waiting for the socket pass the channel's high water mark,
 * the connection stops reading and its decoder stops taking frames out of what was
 * already read, until the peer has read them below the low mark. A peer that sends and
 * never reads holds that much and no more, whatever it sends; the write timeout then
 * closes it.
 *
 * <p>
 * Ends: after the peer's half-close, once the replies to everything it sent are written;
 * after a refused frame, with an error reply in the listener's framing, its output shut
 * down and the peer's further input read and discarded for a moment, so that closing does
 * not reset the connection before the peer reads the error. Everything but
 * {@link #close()} and {@link #send(Message)} from another thread runs on the channel's
 * event loop.
 */
final class NettyTcpConnection extends TcpConnectionSupport {

	private static final Logger logger = LoggerFactory.getLogger(NettyTcpConnection.class);

	/**
	 * The header of the peer's own address when a PROXY protocol header carried the
	 * client's: the load balancer's, which logs show as {@code via}.
	 */
	static final String VIA = "wireport_via";

	/** Replies collected before they are handed to the channel. */
	private static final int REPLY_CHUNK = 8 * 1024;

	/**
	 * A reply buffer's first size: a few acknowledgements; it grows while replies wait.
	 */
	private static final int INITIAL_REPLY_BUFFER = 512;

	/**
	 * After an error reply, how long and how much of the peer's unread input is
	 * discarded: closing a socket with unread input makes the kernel send a reset, which
	 * can destroy the error reply before the peer reads it.
	 */
	private static final Duration DISCARD_TIME = Duration.ofMillis(250);

	private static final int DISCARD_BYTES = 256 * 1024;

	/**
	 * The header with the subject of the client's TLS certificate, on the messages of a
	 * connection whose client sent one.
	 */
	static final String TLS_CLIENT = "wireport_tlsClient";

	/**
	 * The error for a frame the peer was still sending when shutdown ended the
	 * connection: distinct from the peer closing in the middle of a frame.
	 */
	static final String SHUTTING_DOWN = "server shutting down: the unfinished frame was not handled";

	private final Channel channel;

	private final ListenerConnections connections;

	private final FrameCodec codec;

	private final FrameDecoder decoder;

	private final Handler handler = new Handler();

	private final String factoryName;

	/**
	 * The client's address and port: the peer's, until a PROXY protocol header tells the
	 * client's before the connection is announced.
	 */
	private String hostAddress;

	private int port;

	/** The peer's address and port when they are not the client's, else {@code null}. */
	private String via;

	private final String connectionId;

	/**
	 * The headers of every message: only those the flow uses, made once the client's
	 * address is known.
	 */
	private Map<String, Object> messageHeaders;

	private final long frameTimeoutNanos;

	private final @Nullable SSLSession sslSession;

	private final AtomicBoolean closed = new AtomicBoolean();

	private ChannelHandlerContext context;

	/** Replies not yet handed to the channel; {@code null} while there are none. */
	private ByteBuf replies;

	private Ending ending = Ending.NONE;

	/** Set while the peer does not read its replies: nothing is read or decoded. */
	private boolean paused;

	/** Set when a timeout ended the wait for the peer. */
	private boolean timedOut;

	/** Set when shutdown asked the connection to end after what the peer sent. */
	private boolean draining;

	/**
	 * Set when shutdown, not the peer, ended the input: a frame cut short then was cut
	 * short by the server.
	 */
	private boolean inputEndedByShutdown;

	/** Whether this connection's listener and id are in the thread's logging context. */
	private boolean inContext;

	private ScheduledFuture<?> frameTimer;

	/** The frame the flow is handling, {@code null} between messages. */
	private byte[] handling;

	/**
	 * When the current read's first frame was handed to the flow
	 * ({@link System#nanoTime()}, 0 before it) and the wall-clock time of that read, the
	 * timestamp of its messages: read once per read, not per message, as each clock read
	 * costs as much as a tenth of a pipelined message's handling.
	 */
	private long readStartedAt;

	private long readTimestamp;

	private long discarded;

	/** Traffic not yet counted in the listener's meters: counted once per read. */
	private int messagesIn;

	private long bytesIn;

	private int repliesOut;

	private long bytesOut;

	private long handlingNanos;

	/**
	 * Runs on the channel's event loop, before the channel is active.
	 */
	NettyTcpConnection(Channel channel, ApplicationEventPublisher publisher, String factoryName,
			ListenerConnections connections, FrameCodec codec, @Nullable SSLSession sslSession) {
		super(publisher);
		this.sslSession = sslSession;
		this.channel = channel;
		this.connections = connections;
		this.codec = codec;
		this.decoder = codec.newDecoder();
		this.factoryName = factoryName;
		InetSocketAddress remote = (InetSocketAddress) channel.remoteAddress();
		this.hostAddress = remote.getAddress().getHostAddress();
		this.port = remote.getPort();
		int localPort = ((InetSocketAddress) channel.localAddress()).getPort();
		// As Spring Integration names its connections: host:port:localPort:uuid. The
		// connection is registered under it at once, so with the PROXY protocol it names
		// the socket (the load balancer's end of it), not the client.
		this.connectionId = this.hostAddress + ":" + this.port + ":" + localPort + ":" + UUID.randomUUID();
		this.frameTimeoutNanos = connections.settings().frameTimeout().toNanos();
		channel.closeFuture().addListener((done) -> close());
	}

	/**
	 * Takes the client's address that a PROXY protocol header carried, if one did, and
	 * the subject of a TLS client's certificate, if it sent one; when the connection
	 * becomes active, before it is announced. The flow sees it in the usual headers
	 * ({@link IpHeaders#IP_ADDRESS}, {@link IpHeaders#REMOTE_PORT}) and Spring
	 * Integration in {@link #getHostAddress()}, {@link #getHostName()} and
	 * {@link #getPort()}.
	 */
	private void learnClientAddress() {
		InetSocketAddress client = this.channel.attr(ProxyProtocolHandler.CLIENT).get();
		Map<String, Object> headers = new HashMap<>();
		if (client != null) {
			this.via = this.hostAddress + ":" + this.port;
			this.hostAddress = client.getAddress().getHostAddress();
			this.port = client.getPort();
			headers.put(VIA, this.via);
		}
		headers.put(IpHeaders.CONNECTION_ID, this.connectionId);
		headers.put(IpHeaders.IP_ADDRESS, this.hostAddress);
		headers.put(IpHeaders.REMOTE_PORT, this.port);
		String tlsClient = (this.sslSession != null) ? ListenerTls.clientSubject(this.sslSession) : null;
		if (tlsClient != null) {
			headers.put(TLS_CLIENT, tlsClient);
		}
		// A HashMap, read-only from here on: read several times per message, and a
		// HashMap finds a key faster than Map.copyOf's table does.
		this.messageHeaders = headers;
	}

	/**
	 * The subject of the TLS client's certificate, read once when the connection became
	 * active.
	 * @return the subject, {@code null} without TLS or without a client certificate
	 */
	@Nullable String tlsClient() {
		return (String) this.messageHeaders.get(TLS_CLIENT);
	}

	/**
	 * The client's address for log lines, with the peer's as {@code via} when a PROXY
	 * protocol header carried the client's.
	 * @return {@code host:port} or {@code host:port via=host:port}
	 */
	String remote() {
		String remote = this.hostAddress + ":" + this.port;
		return (this.via != null) ? remote + " via=" + this.via : remote;
	}

	FrameDecoder decoder() {
		return this.decoder;
	}

	ChannelHandler handler() {
		return this.handler;
	}

	/**
	 * Hands a frame to the listener's flow, whose reply comes back through
	 * {@link #send(Message)} before this returns.
	 */
	private void dispatch(byte[] payload) {
		if (this.readStartedAt == 0) {
			this.readStartedAt = System.nanoTime();
			this.readTimestamp = System.currentTimeMillis();
		}
		this.messagesIn++;
		this.bytesIn += payload.length;
		TcpListener listener = getListener();
		this.handling = payload;
		try {
			listener.onMessage(
					new GenericMessage<>(payload, new ListenerMessageHeaders(this.messageHeaders, this.readTimestamp)));
		}
		catch (RuntimeException ex) {
			// The flow failed on this message; the next one may still be answered.
			logger.error("listener={} connection={} remote={} message not handled", this.connections.listenerName(),
					this.connectionId, remote(), ex);
		}
		finally {
			this.handling = null;
		}
	}

	/**
	 * Writes a reply: on the event loop, within {@link #dispatch(byte[])}, it joins the
	 * replies of the read; from any other thread it is written at once.
	 */
	@Override
	public void send(Message<?> message) {
		byte[] reply = (byte[]) message.getPayload();
		EventLoop loop = this.channel.eventLoop();
		if (loop.inEventLoop()) {
			queueReply(reply);
		}
		else {
			loop.execute(() -> {
				queueReply(reply);
				flushReplies();
			});
		}
	}

	private void queueReply(byte[] reply) {
		if (this.ending == Ending.REFUSE || this.ending == Ending.DISCARD || !isOpen()) {
			return;
		}
		encode(reply);
		this.repliesOut++;
		this.bytesOut += reply.length;
		if (this.replies.readableBytes() >= REPLY_CHUNK) {
			writeReplies();
		}
	}

	private void encode(byte[] payload) {
		if (this.replies == null) {
			this.replies = this.context.alloc().ioBuffer(INITIAL_REPLY_BUFFER);
		}
		this.codec.encode(payload, this.replies);
	}

	/**
	 * Hands the replies collected to the channel, and stops reading if the peer is not
	 * keeping up with them.
	 */
	private void writeReplies() {
		if (this.replies != null) {
			this.context.write(this.replies);
			this.replies = null;
			if (!this.channel.isWritable()) {
				pause();
			}
		}
	}

	/**
	 * Sends the replies collected; the traffic is counted first, so that a client never
	 * sees a reply before the meters count its message.
	 */
	private void flushReplies() {
		countTraffic();
		writeReplies();
		this.context.flush();
	}

	private void countTraffic() {
		if (this.readStartedAt != 0) {
			// The read's messages were handled one after another: their handling times
			// add up to the time from its first message to its last reply.
			this.handlingNanos += System.nanoTime() - this.readStartedAt;
			this.readStartedAt = 0;
		}
		if (this.messagesIn > 0 || this.repliesOut > 0) {
			this.connections.metrics()
				.traffic(this.messagesIn, this.bytesIn, this.repliesOut, this.bytesOut, this.handlingNanos);
			this.messagesIn = 0;
			this.bytesIn = 0;
			this.repliesOut = 0;
			this.bytesOut = 0;
			this.handlingNanos = 0;
		}
	}

	private void pause() {
		if (!this.paused && this.ending == Ending.NONE) {
			this.paused = true;
			this.connections.paused(true);
			this.decoder.setSingleDecode(true);
			this.channel.config().setAutoRead(false);
		}
	}

	private void resume() {
		if (this.paused) {
			notPaused();
			this.decoder.setSingleDecode(false);
			this.channel.config().setAutoRead(true);
			// Frames read before the pause wait in the decoder: an empty read takes them.
			this.context.pipeline().fireChannelRead(Unpooled.EMPTY_BUFFER).fireChannelReadComplete();
		}
	}

	private void notPaused() {
		if (this.paused) {
			this.paused = false;
			this.connections.paused(false);
		}
	}

	/**
	 * Watches a frame left unfinished by the read: it must be complete within the frame
	 * timeout of the read that brought its first bytes. A read that completed a frame
	 * (its messages are not yet counted) started the one left unfinished.
	 */
	private void watchUnfinishedFrame() {
		if (this.frameTimeoutNanos == 0 || this.ending != Ending.NONE) {
			return;
		}
		if (this.decoder.pendingBytes() == 0 || this.messagesIn > 0) {
			cancelFrameTimer();
		}
		if (this.decoder.pendingBytes() > 0 && this.frameTimer == null) {
			this.frameTimer = this.context.executor()
				.schedule(this::frameTimerExpired, this.frameTimeoutNanos, TimeUnit.NANOSECONDS);
		}
	}

	private void frameTimerExpired() {
		this.frameTimer = null;
		withContext(() -> {
			if (this.ending == Ending.NONE && !this.paused && this.decoder.pendingBytes() > 0) {
				endWaiting();
			}
		});
	}

	private void cancelFrameTimer() {
		if (this.frameTimer != null) {
			this.frameTimer.cancel(false);
			this.frameTimer = null;
		}
	}

	/**
	 * A timeout ends the wait for the peer: reading stops, and the connection ends as
	 * after a half-close, with an error reply if a frame was unfinished.
	 */
	private void endWaiting() {
		this.timedOut = true;
		this.channel.config().setAutoRead(false);
		this.decoder.setSingleDecode(false);
		this.context.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
	}

	/**
	 * The peer ended its side, or the connection stopped waiting for it: the decoder has
	 * passed on its last frame (raw framing) or refused an unfinished one by now; the
	 * connection closes once its replies are written.
	 */
	private void endOfInput() {
		switch (this.ending) {
			case NONE -> {
				this.ending = Ending.CLOSE;
				cancelFrameTimer();
				countTraffic();
				writeReplies();
				this.context.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
			}
			case DISCARD -> close();
			default -> {
				// Closing already, or refusing: the error reply's write decides.
			}
		}
	}

	private void failed(Throwable cause) {
		if (!isOpen()) {
			// Closed meanwhile (a timeout, shutdown): what the decoder still held is
			// moot.
			logger.debug("Connection {} closed before: {}", this.connectionId, cause.getMessage());
			return;
		}
		Throwable problem = (cause instanceof DecoderException && !(cause instanceof FrameException)
				&& cause.getCause() != null) ? cause.getCause() : cause;
		if (problem instanceof FrameException frame) {
			reject(frame);
		}
		else if (problem instanceof WriteTimeoutException) {
			this.connections.stalled(this);
			close();
		}
		else if (problem instanceof IOException) {
			// A peer that resets its connection, or vanished past the keep-alive probes,
			// is a client gone, not a fault of the service: counted, logged at debug.
			this.connections.metrics().lost.increment();
			logger.debug("Connection {} ended: {}", this.connectionId, problem.getMessage());
			close();
		}
		else {
			logger.error("listener={} connection={} remote={} failed; closing it", this.connections.listenerName(),
					this.connectionId, remote(), problem);
			close();
		}
	}

	private void reject(FrameException frame) {
		if (this.ending == Ending.REFUSE || this.ending == Ending.DISCARD) {
			return;
		}
		if (this.inputEndedByShutdown && frame.reason() == FrameException.Reason.MALFORMED) {
			// The peer did nothing wrong: the service stopped reading its frame.
			this.connections.cutShortByShutdown(this, frame);
			refuse(SHUTTING_DOWN);
			return;
		}
		// A frame cut short by a timeout was not cut short by the peer.
		FrameException refused = (this.timedOut && frame.reason() == FrameException.Reason.MALFORMED)
				? this.connections.frameTimedOut() : frame;
		this.connections.rejected(this, refused);
		refuse(refused.getMessage());
	}

	/**
	 * Sends an error text in the listener's framing after the replies already due, then
	 * ends the connection. The decoder goes: nothing after the refused frame is a frame.
	 */
	private void refuse(String reason) {
		this.ending = Ending.REFUSE;
		cancelFrameTimer();
		if (this.context.pipeline().context(this.decoder) != null) {
			this.context.pipeline().remove(this.decoder);
		}
		countTraffic();
		encode(("ERROR " + reason).getBytes(StandardCharsets.UTF_8));
		ByteBuf out = this.replies;
		this.replies = null;
		this.context.writeAndFlush(out).addListener((written) -> startDiscarding());
	}

	/**
	 * After an error reply: the output is shut down, and the peer's input read and
	 * dropped until it ends, for a moment at most.
	 */
	private void startDiscarding() {
		if (!isOpen()) {
			return;
		}
		this.ending = Ending.DISCARD;
		DuplexChannel duplex = (DuplexChannel) this.channel;
		if (duplex.isInputShutdown()) {
			close();
			return;
		}
		duplex.shutdownOutput();
		notPaused();
		this.channel.config().setAutoRead(true);
		this.channel.eventLoop().schedule(this::close, DISCARD_TIME.toNanos(), TimeUnit.NANOSECONDS);
	}

	private void discard(int bytes) {
		this.discarded += bytes;
		if (this.ending == Ending.DISCARD && this.discarded >= DISCARD_BYTES) {
			close();
		}
	}

	/**
	 * Stops reading once what the peer already sent is consumed, so that the connection
	 * ends after answering it; any thread.
	 */
	void endWhenIdle() {
		this.channel.eventLoop().execute(() -> withContext(() -> {
			if (this.ending == Ending.NONE && isOpen()) {
				this.draining = true;
				endInputIfRead();
			}
		}));
	}

	/**
	 * Draining, shuts the input down once the socket seems read to its end (the last read
	 * did not fill its buffer): the read that then meets the end of the input takes any
	 * last bytes and ends the connection. Not sooner, because on the NIO transport the
	 * JDK discards what the socket still holds when its input is shut down.
	 */
	private void endInputIfRead() {
		if (this.draining && this.ending == Ending.NONE && !this.paused) {
			RecvByteBufAllocator.Handle lastRead = this.channel.unsafe().recvBufAllocHandle();
			if (lastRead.lastBytesRead() <= 0 || lastRead.lastBytesRead() < lastRead.attemptedBytesRead()) {
				((DuplexChannel) this.channel).shutdownInput();
			}
		}
	}

	private void event(Object event) {
		if (event instanceof IdleStateEvent) {
			if (this.ending == Ending.NONE && !this.paused) {
				endWaiting();
			}
		}
		else if (event == ChannelInputShutdownEvent.INSTANCE) {
			endOfInput();
		}
		else if (event == ChannelInputShutdownReadComplete.INSTANCE) {
			// Input this connection shut down itself has been read to its end.
			if (this.ending == Ending.DISCARD) {
				close();
			}
			else if (this.draining && this.ending == Ending.NONE) {
				this.inputEndedByShutdown = true;
				this.context.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
			}
		}
	}

	/**
	 * Puts the listener and connection into the thread's logging context, where every
	 * line logged meanwhile (plain or structured) carries them; once per read, not per
	 * message.
	 */
	private void enterContext() {
		if (!this.inContext) {
			MDC.put("listener", this.connections.listenerName());
			MDC.put("connection", this.connectionId);
			this.inContext = true;
		}
	}

	private void leaveContext() {
		if (this.inContext) {
			MDC.remove("listener");
			MDC.remove("connection");
			this.inContext = false;
		}
	}

	private void withContext(Runnable step) {
		boolean entered = !this.inContext;
		enterContext();
		try {
			step.run();
		}
		finally {
			if (entered) {
				leaveContext();
			}
		}
	}

	/**
	 * Nothing to run: the channel's event loop serves the connection, there is no thread
	 * of its own.
	 */
	@Override
	public void run() {
	}

	/**
	 * Closes the channel at once, whatever is under way; any thread.
	 */
	@Override
	public void close() {
		if (!this.closed.compareAndSet(false, true)) {
			return;
		}
		this.channel.close();
		this.connections.release(this);
		super.close();
	}

	@Override
	public boolean isOpen() {
		return !this.closed.get();
	}

	/**
	 * The frame being handed to the flow: the connection pushes each frame to the
	 * listener as it is decoded, rather than a mapper pulling it from the connection.
	 * @return the payload of the message being handled, {@code null} between messages
	 */
	@Override
	public Object getPayload() {
		return this.handling;
	}

	@Override
	public String getConnectionId() {
		return this.connectionId;
	}

	@Override
	public String getHostAddress() {
		return this.hostAddress;
	}

	@Override
	public String getHostName() {
		return this.hostAddress;
	}

	@Override
	public int getPort() {
		return this.port;
	}

	@Override
	public boolean isServer() {
		return true;
	}

	@Override
	public String getConnectionFactoryName() {
		return this.factoryName;
	}

	@Override
	public Object getDeserializerStateKey() {
		return this.decoder;
	}

	@Override
	public @Nullable SSLSession getSslSession() {
		return this.sslSession;
	}

	@Override
	public void shutdownInput() {
		((DuplexChannel) this.channel).shutdownInput();
	}

	@Override
	public void shutdownOutput() {
		((DuplexChannel) this.channel).shutdownOutput();
	}

	/**
	 * The connection's end of the pipeline: frames in, events, and failures.
	 */
	private final class Handler extends ChannelInboundHandlerAdapter {

		@Override
		public void handlerAdded(ChannelHandlerContext ctx) {
			NettyTcpConnection.this.context = ctx;
		}

		@Override
		public void handlerRemoved(ChannelHandlerContext ctx) {
			countTraffic();
			notPaused();
			cancelFrameTimer();
			if (NettyTcpConnection.this.replies != null) {
				NettyTcpConnection.this.replies.release();
				NettyTcpConnection.this.replies = null;
			}
			leaveContext();
		}

		@Override
		public void channelActive(ChannelHandlerContext ctx) {
			withContext(() -> {
				learnClientAddress();
				if (NettyTcpConnection.this.connections.admit(NettyTcpConnection.this)) {
					// As Spring Integration's own connections do, for application
					// listeners.
					publishConnectionOpenEvent();
				}
				else {
					refuse("too many connections");
				}
			});
		}

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object message) {
			if (message instanceof ByteBuf bytes) {
				// Raw bytes: the decoder was removed on a refusal and handed on what it
				// held, or the peer sent more afterwards.
				discard(bytes.readableBytes());
				bytes.release();
				return;
			}
			byte[] payload = (byte[]) message;
			if (NettyTcpConnection.this.ending != Ending.NONE || !isOpen()) {
				discard(payload.length);
				return;
			}
			enterContext();
			dispatch(payload);
		}

		@Override
		public void channelReadComplete(ChannelHandlerContext ctx) {
			enterContext();
			try {
				if (NettyTcpConnection.this.ending == Ending.NONE) {
					watchUnfinishedFrame();
					flushReplies();
					endInputIfRead();
				}
			}
			finally {
				leaveContext();
			}
		}

		@Override
		public void channelWritabilityChanged(ChannelHandlerContext ctx) {
			withContext(() -> {
				if (ctx.channel().isWritable()) {
					resume();
				}
				else {
					pause();
				}
			});
		}

		@Override
		public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
			withContext(() -> event(event));
		}

		@Override
		public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
			withContext(() -> failed(cause));
		}

	}

	/** How the connection ends. */
	private enum Ending {

		/** It does not: it goes on reading. */
		NONE,

		/**
		 * It closes once its replies are written: the peer ended its side, or the
		 * connection stopped waiting for it.
		 */
		CLOSE,

		/** It has refused the peer: once the error is written, it discards. */
		REFUSE,

		/** Its output is shut down; it discards the peer's input, then closes. */
		DISCARD

	}

}
