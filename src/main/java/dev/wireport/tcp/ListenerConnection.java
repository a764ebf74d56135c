package dev.wireport.tcp;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import dev.wireport.framing.ReadAheadInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.integration.ip.tcp.connection.TcpNetConnection;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.GenericMessage;

/**
 * A server connection served by its own thread (a virtual thread on Java 21+), read
 * through a buffer so that the codecs do not make a system call per byte.
 *
 * <p>
 * A blocking connection is used rather than Spring Integration's NIO one because the NIO
 * connection closes its socket as soon as the peer half-closes, before the replies to
 * messages already received are written; that would lose the reply of every client that
 * sends and then shuts down its output (and make the {@code raw} framing impossible).
 */
class ListenerConnection extends TcpNetConnection {

	private static final Logger logger = LoggerFactory.getLogger(ListenerConnection.class);

	static final int READ_BUFFER_SIZE = 8192;

	/**
	 * After an error reply, how long and how much the peer's unread input is discarded:
	 * closing a socket with unread input makes the kernel send a reset, which can destroy
	 * the error reply before the peer reads it.
	 */
	private static final int DISCARD_MILLIS = 250;

	private static final int DISCARD_BYTES = 256 * 1024;

	private final Socket socket;

	private final ListenerConnections connections;

	private final ReadAheadInputStream input;

	private final boolean admitted;

	/** When the message being answered was read whole; one message at a time. */
	private long decodedAt;

	/**
	 * Runs on the accepting thread, so a connection counts, and is drained at shutdown,
	 * from the moment it is accepted.
	 */
	ListenerConnection(Socket socket, ApplicationEventPublisher publisher, String factoryName,
			ListenerConnections connections) {
		super(socket, true, false, publisher, factoryName);
		this.socket = socket;
		this.connections = connections;
		this.input = new ReadAheadInputStream(inputOf(socket), READ_BUFFER_SIZE);
		this.admitted = connections.admit(this);
	}

	private static InputStream inputOf(Socket socket) {
		try {
			return socket.getInputStream();
		}
		catch (IOException ex) {
			// The factory closes the socket when creating the connection fails.
			throw new UncheckedIOException(ex);
		}
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

	void decoded() {
		this.decodedAt = System.nanoTime();
	}

	/**
	 * Writes the reply to the message read last and counts it as replied.
	 */
	@Override
	public void send(Message<?> message) {
		super.send(message);
		this.connections.metrics().replied((byte[]) message.getPayload(), System.nanoTime() - this.decodedAt);
	}

	/**
	 * Sends an error text in the listener's framing and closes the connection, letting
	 * the error reach the peer first; the peer may already be gone.
	 * @param reason what went wrong
	 */
	void refuse(String reason) {
		try {
			super.send(new GenericMessage<>(("ERROR " + reason).getBytes(StandardCharsets.UTF_8)));
			this.socket.shutdownOutput();
			this.socket.setSoTimeout(DISCARD_MILLIS);
			InputStream in = this.input;
			long deadline = System.nanoTime() + DISCARD_MILLIS * 1_000_000L;
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

	/**
	 * Stops reading once what the peer already sent is consumed, so that the connection
	 * ends after answering it.
	 */
	void endWhenIdle() {
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
