package dev.wireport.tcp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Map;

import dev.wireport.framing.FrameCodec;
import dev.wireport.framing.FrameException;
import dev.wireport.framing.ReadAheadInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.integration.ip.tcp.connection.TcpNetConnection;
import org.springframework.messaging.Message;

/**
 * A server connection served by its own thread (platform or virtual, as
 * {@code connection-threads} says), read through a buffer so that the codecs do not make
 * a system call per byte. Replies are written to a buffer that is flushed when no further
 * request is already buffered, or before the thread waits for more input: pipelined
 * requests get their replies in one write, a lone request gets its reply at once. Only
 * the connection's own thread writes. Both buffers start small and grow only for a
 * connection whose traffic fills them, which keeps held, mostly idle connections cheap.
 *
 * <p>
 * A blocking connection is used rather than Spring Integration's NIO one because the NIO
 * connection closes its socket as soon as the peer half-closes, before the replies to
 * messages already received are written; that would lose the reply of every client that
 * sends and then shuts down its output (and make the {@code raw} framing impossible).
 */
class ListenerConnection extends TcpNetConnection implements ServedConnection {

	private static final Logger logger = LoggerFactory.getLogger(ListenerConnection.class);

	private final Socket socket;

	private final ListenerConnections connections;

	private final ReadAheadInputStream input;

	private final WatchedOutputStream socketOutput;

	private final OutputStream output;

	private final FrameCodec codec;

	private final boolean admitted;

	private Map<String, Object> messageHeaders;

	/** When the frame being read must be complete, 0 between frames. */
	private volatile long frameDeadline;

	/** When the thread last began to wait for the peer. */
	private volatile long waitingSince;

	/** Whether that wait is in the middle of a frame. */
	private volatile boolean waitingInFrame;

	/** Set when the watchdog ended the connection's wait for being past a timeout. */
	private volatile boolean timedOut;

	/** When the message being answered was read whole; one message at a time. */
	private long decodedAt;

	/**
	 * Runs on the accepting thread, so a connection counts, and is drained at shutdown,
	 * from the moment it is accepted.
	 */
	ListenerConnection(Socket socket, ApplicationEventPublisher publisher, String factoryName,
			ListenerConnections connections, FrameCodec codec) {
		super(socket, true, false, publisher, factoryName);
		this.socket = socket;
		this.connections = connections;
		this.codec = codec;
		try {
			this.socketOutput = new WatchedOutputStream(socket.getOutputStream());
			this.output = new ReplyBuffer(this.socketOutput, INITIAL_WRITE_BUFFER, MAX_WRITE_BUFFER);
			this.input = new ReadAheadInputStream(socket.getInputStream(), INITIAL_READ_BUFFER, MAX_READ_BUFFER,
					this::beforeWait);
		}
		catch (IOException ex) {
			// The factory closes the socket when creating the connection fails.
			throw new UncheckedIOException(ex);
		}
		this.admitted = connections.admit(this);
	}

	@Override
	protected InputStream inputStream() {
		return this.input;
	}

	@Override
	public void run() {
		if (!this.admitted) {
			refuse("too many connections");
			return;
		}
		// Set once per connection thread: every line logged while serving it, in plain
		// text or structured (JSON) logging, carries the listener and the connection.
		MDC.put("listener", this.connections.listenerName());
		MDC.put("connection", getConnectionId());
		try {
			super.run();
		}
		finally {
			MDC.remove("listener");
			MDC.remove("connection");
			this.connections.release(this);
		}
	}

	/**
	 * A peer that resets its connection, or a socket the watchdog closed, is a client
	 * gone, not a fault of the service: logged at debug level, where Spring Integration's
	 * connection logs every read error as an error.
	 */
	@Override
	protected boolean handleReadException(Exception exception) {
		Throwable cause = (exception instanceof UncheckedIOException) ? exception.getCause() : exception;
		if (cause instanceof SocketException) {
			logger.debug("Connection {} ended: {}", getConnectionId(), cause.getMessage());
			closeConnection(true);
			return true;
		}
		return super.handleReadException(exception);
	}

	/**
	 * Before the thread waits for the peer: replies held back go out, and the wait is
	 * noted for the {@link ConnectionWatchdog}, which bounds it by the idle timeout
	 * between frames, or by the frame timeout in the middle of one.
	 */
	private void beforeWait(boolean inFrame) throws IOException {
		this.output.flush();
		long now = System.nanoTime();
		Duration frameTimeout = this.connections.settings().frameTimeout();
		if (!inFrame || frameTimeout.isZero()) {
			this.frameDeadline = 0;
		}
		else if (this.frameDeadline == 0) {
			this.frameDeadline = now + frameTimeout.toNanos();
		}
		else if (now - this.frameDeadline >= 0) {
			throw this.connections.frameTimedOut();
		}
		this.waitingInFrame = inFrame;
		this.waitingSince = now;
	}

	@Override
	public Timeout pastTimeout(long now) {
		TcpListenerSettings settings = this.connections.settings();
		Duration write = settings.writeTimeout();
		if (!write.isZero() && writeBlockedNanos(now) > write.toNanos()) {
			return Timeout.WRITE;
		}
		if (!this.input.waiting() || this.timedOut) {
			return null;
		}
		long frameDeadline = this.frameDeadline;
		if (this.waitingInFrame && frameDeadline != 0) {
			return (now - frameDeadline >= 0) ? Timeout.FRAME : null;
		}
		Duration idle = settings.idleTimeout();
		return (!idle.isZero() && now - this.waitingSince > idle.toNanos()) ? Timeout.IDLE : null;
	}

	/**
	 * Ends the wait for the peer: the read sees the end of the stream, and the connection
	 * closes as after a half-close, with an error reply if a frame was unfinished.
	 */
	@Override
	public void expire() {
		this.timedOut = true;
		try {
			shutdownInput();
		}
		catch (IOException ex) {
			logger.debug("Could not end the wait of {}: {}", getConnectionId(), ex.getMessage());
			close();
		}
	}

	/**
	 * Whether the watchdog ended this connection's wait.
	 * @return {@code true} after {@link #expire()}
	 */
	boolean timedOut() {
		return this.timedOut;
	}

	Map<String, Object> messageHeaders() {
		if (this.messageHeaders == null) {
			this.messageHeaders = FrameMapper.messageHeaders(this);
		}
		return this.messageHeaders;
	}

	/**
	 * How long the write under way has been blocked.
	 * @param now the current {@link System#nanoTime()}
	 * @return nanoseconds, 0 when no write is under way
	 */
	long writeBlockedNanos(long now) {
		long since = this.socketOutput.blockedSince();
		return (since == 0) ? 0 : now - since;
	}

	void startFrame() {
		this.input.startFrame();
		this.frameDeadline = 0;
	}

	void decoded() {
		this.decodedAt = System.nanoTime();
	}

	/**
	 * Writes the reply to the message read last and counts it as replied. A reply that
	 * cannot be written means the peer is gone or was cut off (see
	 * {@link ConnectionWatchdog}); the connection is closed, and there is nobody left to
	 * tell.
	 */
	@Override
	public void send(Message<?> message) {
		byte[] reply = (byte[]) message.getPayload();
		try {
			write(reply);
		}
		catch (IOException ex) {
			logger.debug("Reply to {} not written, closing: {}", getConnectionId(), ex.getMessage());
			closeConnection(true);
			return;
		}
		this.connections.metrics().replied(reply, System.nanoTime() - this.decodedAt);
	}

	private void write(byte[] payload) throws IOException {
		this.codec.serialize(payload, this.output);
		if (this.input.available() == 0) {
			this.output.flush();
		}
	}

	/**
	 * Sends an error text in the listener's framing and closes the connection, letting
	 * the error reach the peer first; the peer may already be gone.
	 * @param reason what went wrong
	 */
	void refuse(String reason) {
		try {
			write(ServedConnection.errorReply(reason));
			this.output.flush();
			this.socket.shutdownOutput();
			this.socket.setSoTimeout((int) DISCARD_TIME.toMillis());
			InputStream in = this.input;
			long deadline = System.nanoTime() + DISCARD_TIME.toNanos();
			byte[] scratch = new byte[4096];
			long discarded = 0;
			int read = 0;
			while (read >= 0 && discarded < DISCARD_BYTES && System.nanoTime() < deadline) {
				read = in.read(scratch);
				discarded += read;
			}
		}
		catch (IOException | RuntimeException ex) {
			logger.debug("Error reply to {} cut short: {}", getConnectionId(), ex.getMessage());
		}
		finally {
			close();
		}
	}

	@Override
	public void endWhenIdle() {
		try {
			if (this.input.endWhenIdle()) {
				shutdownInput();
			}
		}
		catch (IOException ex) {
			logger.debug("Could not end {} after its last message: {}", getConnectionId(), ex.getMessage());
			close();
		}
	}

}
