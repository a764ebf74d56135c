package dev.wireport.tcp;

import java.io.UncheckedIOException;
import java.util.EnumMap;
import java.util.Map;

import dev.wireport.framing.FrameException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.integration.ip.tcp.connection.TcpConnection;
import org.springframework.integration.ip.tcp.connection.TcpMessageMapper;
import org.springframework.integration.ip.tcp.serializer.SoftEndOfStreamException;
import org.springframework.messaging.Message;

/**
 * Turns a frame the codec refused into an error reply and a closed connection. This is
 * the one place that sees both the codec's error and the connection it came from: once
 * the mapper gives up, Spring Integration closes the socket, so the error must be sent
 * here, before that.
 */
class FrameRejectingMapper extends TcpMessageMapper {

	private static final Logger logger = LoggerFactory.getLogger(FrameRejectingMapper.class);

	private final String listener;

	private final Map<FrameException.Reason, Counter> rejected = new EnumMap<>(FrameException.Reason.class);

	FrameRejectingMapper(String listener, MeterRegistry registry) {
		this.listener = listener;
		for (FrameException.Reason reason : FrameException.Reason.values()) {
			this.rejected.put(reason,
					Counter.builder("wireport.tcp.frames.rejected")
						.tag("listener", listener)
						.tag("reason", reason.tag())
						.description("TCP frames refused; the connection was closed")
						.register(registry));
		}
	}

	@Override
	public Message<?> toMessage(TcpConnection connection, Map<String, Object> headers) {
		try {
			return super.toMessage(connection, headers);
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
		this.rejected.get(frame.reason()).increment();
		logger.warn("listener={} connection={} remote={}:{} frame rejected ({}): {}; closing the connection",
				this.listener, connection.getConnectionId(), connection.getHostAddress(), connection.getPort(),
				frame.reason().tag(), frame.getMessage());
		((ListenerConnection) connection).refuse(frame.getMessage());
	}

}
