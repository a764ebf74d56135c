package dev.wireport.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;

import dev.wireport.framing.FrameException;
import dev.wireport.framing.FrameReader;
import dev.wireport.framing.Framing;
import org.jspecify.annotations.Nullable;

/**
 * Opens client sockets and turns their failures into one-line reasons.
 */
final class Endpoints {

	private Endpoints() {
	}

	/**
	 * Connects, and with TLS does the handshake.
	 * @param tls the client's TLS, {@code null} for plain TCP
	 */
	static Socket connect(String host, int port, Duration timeout, @Nullable ClientTls tls) throws CommandException {
		Socket socket = new Socket();
		try {
			socket.setTcpNoDelay(true);
			socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
			socket.setSoTimeout((int) timeout.toMillis());
			return (tls != null) ? tls.handshake(socket, host, port) : socket;
		}
		catch (IOException ex) {
			closeQuietly(socket);
			throw new CommandException("cannot connect to " + host + ":" + port + ": " + reason(ex), ex);
		}
	}

	/**
	 * Reads one reply.
	 * @param in the connection's input, read in the listener's framing
	 * @param timeout the socket's read timeout, for the message
	 * @return the reply's payload
	 * @throws CommandException when no reply comes, the server closes, or the reply is
	 * not a frame
	 */
	static byte[] receive(FrameReader in, Duration timeout) throws CommandException {
		try {
			byte[] reply = in.read();
			if (reply == null) {
				throw new CommandException(CommandException.FAILED, "the server closed the connection");
			}
			return reply;
		}
		catch (SocketTimeoutException ex) {
			throw new CommandException("no reply within " + timeout.toMillis() + "ms", ex);
		}
		catch (FrameException ex) {
			throw new CommandException("unreadable reply: " + ex.getMessage(), ex);
		}
		catch (IOException ex) {
			throw new CommandException("reading the reply failed: " + reason(ex), ex);
		}
	}

	/**
	 * Adds to a reply that did not come, or could not be read, that the framings may not
	 * match: the commonest reason a TCP client gets no answer.
	 * @param ex the failure
	 * @param framing the framing the client used
	 * @param port the port it sent to
	 * @return the failure with the hint, or as it was when it is another failure
	 */
	static CommandException withFramingHint(CommandException ex, Framing framing, int port) {
		if (!(ex.getCause() instanceof SocketTimeoutException || ex.getCause() instanceof FrameException)) {
			return ex;
		}
		return new CommandException(ex.getMessage() + "; " + ServiceDefaults.load().framingHint(framing, port),
				ex.getCause());
	}

	static String reason(IOException ex) {
		if (ex instanceof SocketTimeoutException) {
			return "timed out";
		}
		return (ex.getMessage() != null) ? ex.getMessage() : ex.getClass().getSimpleName();
	}

	private static void closeQuietly(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// Nothing more can be done for a socket that never connected.
		}
	}

}
