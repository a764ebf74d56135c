package dev.wireport.tcp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

import dev.wireport.framing.FrameException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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

	private static final Logger logger = LoggerFactory.getLogger(FrameMapper.class);

	private final String listener;

	private final TcpListenerMetrics metrics;

	FrameMapper(String listener, TcpListenerMetrics metrics) {
		this.listener = listener;
		this.metrics = metrics;
	}

	@Override
	public Message<?> toMessage(TcpConnection connection, Map<String, Object> headers) {
		ListenerConnection listenerConnection = (ListenerConnection) connection;
		listenerConnection.startFrame();
		try {
			byte[] payload = (byte[]) connection.getPayload();
			listenerConnection.decoded();
			this.metrics.received(payload);
			// Only the headers the flow uses, prepared once per connection: the message
			// copies them into a header map of its own.
			return new GenericMessage<>(payload, listenerConnection.messageHeaders());
		}
		catch (UncheckedIOException ex) {
			IOException cause = ex.getCause();
			if (cause instanceof FrameException && listenerConnection.timedOut()) {
				// The watchdog ended a wait in the middle of a frame: the stream ended
				// there because of the timeout, not because the peer closed it.
				cause = listenerConnection.frameTimedOut();
			}
			if (cause instanceof FrameException frame) {
				reject(connection, frame);
				throw new SoftEndOfStreamException("Frame rejected: " + frame.getMessage());
			}
			throw ex;
		}
	}

	private void reject(TcpConnection connection, FrameException frame) {
		this.metrics.rejected(frame.reason());
		logger.warn("listener={} connection={} remote={}:{} frame rejected ({}): {}; closing the connection",
				this.listener, connection.getConnectionId(), connection.getHostAddress(), connection.getPort(),
				frame.reason().tag(), frame.getMessage());
		((ListenerConnection) connection).refuse(frame.getMessage());
	}

}
