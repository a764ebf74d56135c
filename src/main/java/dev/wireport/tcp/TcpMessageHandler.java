package dev.wireport.tcp;

import dev.wireport.payload.Identification;
import dev.wireport.payload.Instance;
import dev.wireport.payload.MessageLog;
import dev.wireport.payload.Preview;
import dev.wireport.payload.ReplyMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.integration.handler.AbstractReplyProducingMessageHandler;
import org.springframework.integration.ip.IpHeaders;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.support.GenericMessage;

/**
 * Logs each message a listener receives and answers it: the seed server's {@code process}
 * loop, one message at a time. The reply goes on to the listener's outbound adapter,
 * which writes it to the connection named in its headers.
 *
 * <p>
 * The reply carries the request's headers object itself rather than a copy: the
 * connection id is all the outbound adapter reads, and copying the header map at every
 * step was the largest cost per message in the profile (see docs/performance.md).
 */
class TcpMessageHandler extends AbstractReplyProducingMessageHandler {

	private static final Logger logger = LoggerFactory.getLogger(TcpMessageHandler.class);

	private final TcpListenerSettings settings;

	private final MessageLog log;

	/** The replies of {@code identify}; {@code null} in the other modes. */
	private final Identification identification;

	TcpMessageHandler(TcpListenerSettings settings, Instance instance) {
		this.settings = settings;
		this.identification = (settings.reply() == ReplyMode.IDENTIFY)
				? new Identification(settings.ack(), instance, settings.name()) : null;
		this.log = new MessageLog(logger, settings.logLevel(), settings.logRate(),
				"listener=" + settings.name() + " messages");
	}

	@Override
	protected Object handleRequestMessage(Message<?> request) {
		byte[] payload = (byte[]) request.getPayload();
		MessageHeaders headers = request.getHeaders();
		if (this.log.admit(headers.getTimestamp())) {
			// Behind a load balancer that sends the PROXY protocol, its own address too;
			// the subject of a TLS client's certificate, where it sent one.
			Object via = headers.get(NettyTcpConnection.VIA);
			Object client = headers.get(NettyTcpConnection.TLS_CLIENT);
			this.log.log("listener={} connection={} remote={}:{}{}{} size={} payload=\"{}\"", this.settings.name(),
					headers.get(IpHeaders.CONNECTION_ID), headers.get(IpHeaders.IP_ADDRESS),
					headers.get(IpHeaders.REMOTE_PORT), (via != null) ? " via=" + via : "",
					(client != null) ? " client=\"" + client + "\"" : "", payload.length,
					Preview.of(payload, MessageLog.PREVIEW_BYTES));
		}
		byte[] reply = switch (this.settings.reply()) {
			case ACK -> this.settings.ack();
			case ECHO -> payload;
			case IDENTIFY -> this.identification.reply((String) headers.get(IpHeaders.IP_ADDRESS),
					(int) headers.get(IpHeaders.REMOTE_PORT));
		};
		return new GenericMessage<>(reply, headers);
	}

	@Override
	protected boolean shouldCopyRequestHeaders() {
		return false;
	}

}
