package dev.wireport.tcp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

import dev.wireport.framing.FrameException;

import org.springframework.integration.ip.IpHeaders;
import org.springframework.integration.ip.tcp.connection.TcpConnection;
import org.springframework.integration.ip.tcp.connection.TcpMessageMapper;
import org.springframework.integration.ip.tcp.serializer.SoftEndOfStreamException;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.GenericMessage;

/**
 * Turns each frame the codec reads into a message carrying the connection's id and remote
 * address, and a frame the codec refused into an error reply and a closed connection.
 * This is the one place that sees both the codec's error and the connection it came from:
 * once the mapper gives up, Spring Integration closes the socket, so the error must be
 * sent here, before that.
 */
class FrameMapper extends TcpMessageMapper {

	private final ListenerConnections connections;

	FrameMapper(ListenerConnections connections) {
		this.connections = connections;
	}

	/**
	 * The headers of every message from one connection: only those the flow uses, so that
	 * each message copies as few as possible into a header map of its own. Prepared once
	 * per connection.
	 * @param connection the connection
	 * @return its connection id, remote address and remote port
	 */
	static Map<String, Object> messageHeaders(TcpConnection connection) {
		return Map.of(IpHeaders.CONNECTION_ID, connection.getConnectionId(), IpHeaders.IP_ADDRESS,
				connection.getHostAddress(), IpHeaders.REMOTE_PORT, connection.getPort());
	}

	@Override
	public Message<?> toMessage(TcpConnection connection, Map<String, Object> headers) {
		ListenerConnection listenerConnection = (ListenerConnection) connection;
		listenerConnection.startFrame();
		try {
			byte[] payload = (byte[]) connection.getPayload();
			listenerConnection.decoded();
			this.connections.metrics().received(payload);
			return new GenericMessage<>(payload, listenerConnection.messageHeaders());
		}
		catch (UncheckedIOException ex) {
			IOException cause = ex.getCause();
			if (cause instanceof FrameException && listenerConnection.timedOut()) {
				// The watchdog ended a wait in the middle of a frame: the stream ended
				// there because of the timeout, not because the peer closed it.
				cause = this.connections.frameTimedOut();
			}
			if (cause instanceof FrameException frame) {
				this.connections.rejected(listenerConnection, frame);
				listenerConnection.refuse(frame.getMessage());
				throw new SoftEndOfStreamException("Frame rejected: " + frame.getMessage());
			}
			throw ex;
		}
	}

}
