package dev.wireport.tcp;

import java.io.UncheckedIOException;
import java.util.Map;

import dev.wireport.framing.FrameException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.integration.ip.tcp.connection.TcpConnection;
import org.springframework.integration.ip.tcp.connection.TcpMessageMapper;
import org.springframework.integration.ip.tcp.serializer.SoftEndOfStreamException;
import org.springframework.messaging.Message;

/**
 * Turns each frame the codec reads into a message, and a frame the codec refused into an
 * error reply and a closed connection. This is the one place that sees both the codec's
 * error and the connection it came from: once the mapper gives up, Spring Integration
 * closes the socket, so the error must be sent here, before that.
 */
class FrameRejectingMapper extends TcpMessageMapper {

	private static final Logger logger = LoggerFactory.getLogger(FrameRejectingMapper.class);

	private final String listener;

	private final TcpListenerMetrics metrics;

	FrameRejectingMapper(String listener, TcpListenerMetrics metrics) {
		this.listener = listener;
		this.metrics = metrics;
	}

	@Override
	public Message<?> toMessage(TcpConnection connection, Map<String, Object> headers) {
		try {
			Message<?> message = super.toMessage(connection, headers);
			if (message != null) {
				((ListenerConnection) connection).decoded();
				this.metrics.received((byte[]) message.getPayload());
			}
			return message;
		}
		catch (UncheckedIOException ex) {
			if (ex.getCause() instanceof FrameException frame) {
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
