package dev.wireport.tcp;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.net.ssl.SSLSession;

import dev.wireport.framing.FrameCodec;
import dev.wireport.framing.FrameDecoder;
import dev.wireport.framing.FrameException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.integration.ip.tcp.connection.TcpConnectionSupport;
import org.springframework.integration.ip.tcp.connection.TcpListener;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.GenericMessage;

/**
 * A server connection served by an {@link EventLoop}: the loop reads what the socket
 * holds into a buffer, the codec's {@link FrameDecoder} takes every whole frame out of
 * it, each goes through the listener's flow at once, and the replies are written in one
 * non-blocking write when the buffer holds no further whole frame. Until that write is
 * done the connection reads nothing more, so a peer that does not read its replies holds
 * at most one buffer of them. Everything here runs on the loop's thread, except
 * {@link #close()} and what the {@link ConnectionWatchdog} reads.
 *
 * <p>
 * The connection ends as its thread-per-connection counterpart,
 * {@link ListenerConnection}, does: after a half-close, once the replies are written;
 * after a refused frame, with an error reply, its output shut down and the peer's further
 * input read and discarded for a moment, so that closing does not reset the connection
 * before the peer reads the error.
 */
final class LoopConnection extends TcpConnectionSupport implements ServedConnection {

	private static final Logger logger = LoggerFactory.getLogger(LoopConnection.class);

	/**
	 * The most reads of one connection in a row, so that one peer cannot keep the loop.
	 */
	private static final int READS_PER_TURN = 16;

	private final SocketChannel channel;

	private final EventLoop loop;

	private final ListenerConnections connections;

	private final FrameCodec codec;

	private final FrameDecoder decoder;

	private final PendingOutput output = new PendingOutput(INITIAL_WRITE_BUFFER, MAX_WRITE_BUFFER);

	private final boolean admitted;

	private final AtomicBoolean closed = new AtomicBoolean();

	private final int port;

	private ByteBuffer input = ByteBuffer.allocate(INITIAL_READ_BUFFER);

	private Map<String, Object> messageHeaders;

	private SelectionKey key;

	/**
	 * How the connection ends; read by the watchdog, which leaves an ending one alone.
	 */
	private volatile Ending ending = Ending.NONE;

	private boolean draining;

	private long discarded;

	/** The frame the flow is handling, {@code null} between messages. */
	private byte[] handling;

	/** When the message being answered was read whole; one message at a time. */
	private long decodedAt;

	/** When the connection last began to wait for the peer. */
	private volatile long waitingSince;

	/** When the unfinished frame in the buffer began to wait, 0 between frames. */
	private volatile long frameWaitingSince;

	/** When replies began to wait for the socket, 0 while none wait. */
	private volatile long writeBlockedSince;

	/** Set when the watchdog ended the wait for the peer; on the loop's thread only. */
	private boolean timedOut;

	/**
	 * Runs on the accepting thread, so the connection counts from the moment it is
	 * accepted.
	 */
	LoopConnection(SocketChannel channel, EventLoop loop, ApplicationEventPublisher publisher, String factoryName,
			ListenerConnections connections, FrameCodec codec) {
		super(channel.socket(), true, false, publisher, factoryName);
		this.channel = channel;
		this.loop = loop;
		this.connections = connections;
		this.codec = codec;
		this.decoder = codec.decoder();
		this.port = channel.socket().getPort();
		this.waitingSince = System.nanoTime();
		this.admitted = connections.admit(this);
	}

	/**
	 * Joins the loop; runs on the loop's thread.
	 */
	@Override
	public void run() {
		serve(() -> {
			this.key = this.loop.register(this.channel, this);
			if (!this.admitted) {
				refuse("too many connections");
				flush();
				return;
			}
			// As Spring Integration's own connections do, for application listeners.
			publishConnectionOpenEvent();
		});
	}

	/**
	 * The socket is ready: first replies still waiting go out, then what the peer sent is
	 * read.
	 */
	void ready(SelectionKey readyKey) {
		serve(() -> {
			if (readyKey.isWritable() && !flush()) {
				return;
			}
			// Draining, it reads once its replies are out even if nothing new came: what
			// the peer sent is answered, then the connection ends.
			if (readyKey.isValid() && (readyKey.isReadable() || this.draining)) {
				read();
			}
		});
	}

	/**
	 * Runs a step of serving the connection, on the loop's thread. A socket that fails
	 * ends the connection: the peer is gone, or the watchdog closed it meanwhile.
	 */
	private void serve(Step step) {
		// Set while serving: every line logged meanwhile, in plain text or structured
		// (JSON) logging, carries the listener and the connection.
		MDC.put("listener", this.connections.listenerName());
		MDC.put("connection", getConnectionId());
		try {
			step.run();
		}
		catch (IOException | CancelledKeyException ex) {
			logger.debug("Connection {} ended: {}", getConnectionId(), ex.getMessage());
			close();
		}
		finally {
			MDC.remove("listener");
			MDC.remove("connection");
		}
	}

	private void read() throws IOException {
		if (this.ending == Ending.DISCARD) {
			discard();
			return;
		}
		for (int reads = 1; this.ending == Ending.NONE; reads++) {
			if (reads > READS_PER_TURN) {
				// A peer that keeps the socket full does not keep the loop: the other
				// connections take their turn, and this one goes on after them.
				this.loop.execute(() -> serve(this::readUnlessBlocked));
				break;
			}
			if (!this.input.hasRemaining()) {
				// A frame larger than the buffer: the decoder has not refused it, so it
				// fits in the maximum frame size and its framing bytes.
				int limit = this.codec.maxFrameSize() + FrameDecoder.MAX_FRAMING_BYTES;
				growInput((int) Math.min(limit, Math.max(MAX_READ_BUFFER, 2L * this.input.capacity())));
			}
			int space = this.input.remaining();
			int count = this.channel.read(this.input);
			if (count < 0 || (count == 0 && this.draining)) {
				endOfInput();
				return;
			}
			if (count == 0) {
				break;
			}
			this.input.flip();
			try {
				decodeFrames();
			}
			finally {
				this.input.compact();
			}
			if (this.input.position() == 0 && this.input.capacity() > MAX_READ_BUFFER) {
				// A large frame is answered: its buffer is let go.
				this.input = ByteBuffer.allocate(MAX_READ_BUFFER);
			}
			// A read that did not fill the buffer took everything the socket held; one
			// that did doubles it, for a peer that sends more than it holds.
			if (count < space && !this.draining) {
				break;
			}
			if (count == space && this.input.capacity() < MAX_READ_BUFFER) {
				growInput(Math.min(MAX_READ_BUFFER, 2 * this.input.capacity()));
			}
			if (!this.output.isEmpty() && !flush()) {
				return;
			}
		}
		if (this.ending == Ending.NONE) {
			long now = System.nanoTime();
			if (this.input.position() == 0) {
				this.frameWaitingSince = 0;
			}
			else if (this.frameWaitingSince == 0) {
				this.frameWaitingSince = now;
			}
			this.waitingSince = now;
		}
		flush();
	}

	private void growInput(int size) {
		ByteBuffer larger = ByteBuffer.allocate(size);
		this.input.flip();
		larger.put(this.input);
		this.input = larger;
	}

	private void decodeFrames() {
		try {
			byte[] payload;
			while (this.ending == Ending.NONE && (payload = this.decoder.next(this.input)) != null) {
				dispatch(payload);
			}
		}
		catch (FrameException ex) {
			reject(ex);
		}
	}

	private void dispatch(byte[] payload) {
		this.decodedAt = System.nanoTime();
		this.connections.metrics().received(payload);
		if (this.messageHeaders == null) {
			this.messageHeaders = FrameMapper.messageHeaders(this);
		}
		Message<byte[]> message = new GenericMessage<>(payload, this.messageHeaders);
		TcpListener listener = getListener();
		this.handling = payload;
		try {
			listener.onMessage(message);
		}
		catch (RuntimeException ex) {
			// The flow failed on this message; the next one may still be answered.
			logger.error("listener={} connection={} message not handled", this.connections.listenerName(),
					getConnectionId(), ex);
		}
		finally {
			this.handling = null;
		}
	}

	/**
	 * The peer ended its side, or the connection stops waiting for it: the last frame of
	 * a {@code raw} stream is answered, an unfinished one refused, then the connection
	 * closes once its replies are written.
	 */
	private void endOfInput() throws IOException {
		this.input.flip();
		try {
			byte[] last = this.decoder.end(this.input);
			if (last != null) {
				dispatch(last);
			}
			if (this.ending == Ending.NONE) {
				this.ending = Ending.CLOSE;
			}
		}
		catch (FrameException ex) {
			reject(this.timedOut ? this.connections.frameTimedOut() : ex);
		}
		finally {
			this.input.clear();
		}
		flush();
	}

	private void reject(FrameException frame) {
		this.connections.rejected(this, frame);
		refuse(frame.getMessage());
	}

	/**
	 * Sends an error text in the listener's framing, then ends the connection.
	 */
	private void refuse(String reason) {
		encode(ServedConnection.errorReply(reason));
		this.ending = Ending.REFUSE;
	}

	private void encode(byte[] payload) {
		try {
			this.codec.serialize(payload, this.output);
		}
		catch (IOException ex) {
			// Writing to memory does not fail.
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Writes the replies waiting, and once they are all out, goes on: reading again, or
	 * ending as {@link #ending} says.
	 * @return whether everything was written
	 */
	private boolean flush() throws IOException {
		if (!isOpen()) {
			return false;
		}
		if (!this.output.writeTo(this.channel)) {
			if (this.writeBlockedSince == 0) {
				this.writeBlockedSince = System.nanoTime();
			}
			this.key.interestOps(SelectionKey.OP_WRITE);
			return false;
		}
		this.writeBlockedSince = 0;
		switch (this.ending) {
			case NONE -> this.key.interestOps(SelectionKey.OP_READ);
			case CLOSE -> close();
			case REFUSE -> startDiscarding();
			case DISCARD -> {
				// Already discarding: its output is shut down.
			}
		}
		return true;
	}

	/**
	 * After an error reply: closing a socket with unread input makes the kernel send a
	 * reset, which can destroy the reply before the peer reads it. So the output is shut
	 * down, and the peer's input read and dropped until it ends, for a moment at most.
	 */
	private void startDiscarding() throws IOException {
		this.ending = Ending.DISCARD;
		this.channel.shutdownOutput();
		this.key.interestOps(SelectionKey.OP_READ);
		this.loop.closeAfter(this, DISCARD_TIME.toNanos());
		discard();
	}

	private void discard() throws IOException {
		ByteBuffer scratch = this.input;
		int count;
		do {
			scratch.clear();
			count = this.channel.read(scratch);
			this.discarded += Math.max(count, 0);
		}
		while (count > 0 && this.discarded < DISCARD_BYTES);
		if (count != 0) {
			close();
		}
	}

	/**
	 * Writes the reply to the message being handled; on the loop's thread, within
	 * {@link #dispatch(byte[])}, where the flow runs. It is written when the buffer holds
	 * no further whole frame, all replies of one read in one write.
	 */
	@Override
	public void send(Message<?> message) {
		byte[] reply = (byte[]) message.getPayload();
		encode(reply);
		this.connections.metrics().replied(reply, System.nanoTime() - this.decodedAt);
	}

	@Override
	public Timeout pastTimeout(long now) {
		TcpListenerSettings settings = this.connections.settings();
		long blockedSince = this.writeBlockedSince;
		if (!settings.writeTimeout().isZero() && blockedSince != 0
				&& now - blockedSince > settings.writeTimeout().toNanos()) {
			return Timeout.WRITE;
		}
		if (this.ending != Ending.NONE || blockedSince != 0) {
			return null;
		}
		long frameSince = this.frameWaitingSince;
		if (frameSince != 0 && !settings.frameTimeout().isZero()) {
			return (now - frameSince >= settings.frameTimeout().toNanos()) ? Timeout.FRAME : null;
		}
		return (!settings.idleTimeout().isZero() && now - this.waitingSince > settings.idleTimeout().toNanos())
				? Timeout.IDLE : null;
	}

	@Override
	public void expire() {
		this.loop.execute(() -> serve(() -> {
			if (this.ending == Ending.NONE && isOpen()) {
				this.timedOut = true;
				endOfInput();
			}
		}));
	}

	@Override
	public void endWhenIdle() {
		this.loop.execute(() -> serve(() -> {
			this.draining = true;
			readUnlessBlocked();
		}));
	}

	/**
	 * Reads what the peer sent, unless replies wait for the socket: then it reads once
	 * they are written.
	 */
	private void readUnlessBlocked() throws IOException {
		if (this.ending == Ending.NONE && isOpen() && this.writeBlockedSince == 0) {
			read();
		}
	}

	@Override
	public void close() {
		if (!this.closed.compareAndSet(false, true)) {
			return;
		}
		try {
			this.channel.close();
		}
		catch (IOException ex) {
			logger.debug("Closing {} failed: {}", getConnectionId(), ex.getMessage());
		}
		this.connections.release(this);
		super.close();
	}

	@Override
	public boolean isOpen() {
		return !this.closed.get();
	}

	/**
	 * The frame being handed to the flow: the loop pushes each frame to the listener as
	 * it is decoded, rather than a mapper pulling it from the connection.
	 * @return the payload of the message being handled, {@code null} between messages
	 */
	@Override
	public Object getPayload() {
		return this.handling;
	}

	@Override
	public int getPort() {
		return this.port;
	}

	@Override
	public Object getDeserializerStateKey() {
		return this.decoder;
	}

	@Override
	public SSLSession getSslSession() {
		return null;
	}

	/** A step of serving the connection that may fail on its socket. */
	@FunctionalInterface
	private interface Step {

		void run() throws IOException;

	}

	/** How the connection ends once its replies are written. */
	private enum Ending {

		/** It does not: it goes on reading. */
		NONE,

		/**
		 * It closes: the peer ended its side, or the connection stopped waiting for it.
		 */
		CLOSE,

		/** It has refused the peer: once the error is written, it discards. */
		REFUSE,

		/** Its output is shut down; it discards the peer's input, then closes. */
		DISCARD

	}

}
