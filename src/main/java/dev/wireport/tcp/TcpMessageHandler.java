package dev.wireport.tcp;

import dev.wireport.payload.MessageLog;
import dev.wireport.payload.Preview;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.integration.core.GenericHandler;
import org.springframework.integration.ip.IpHeaders;
import org.springframework.messaging.MessageHeaders;

/**
 * Logs each message a listener receives and answers it: the seed server's {@code process}
 * loop, one message at a time.
 */
class TcpMessageHandler implements GenericHandler<byte[]> {

	private static final Logger logger = LoggerFactory.getLogger(TcpMessageHandler.class);

	private final TcpListenerSettings settings;

	private final MessageLog log;

	TcpMessageHandler(TcpListenerSettings settings) {
		this.settings = settings;
		this.log = new MessageLog(logger, settings.logLevel(), settings.logRate(),
				"listener=" + settings.name() + " messages");
	}

	@Override
	public Object handle(byte[] payload, MessageHeaders headers) {
		if (this.log.admit()) {
			this.log.line()
				.log("listener={} connection={} remote={}:{} size={} payload=\"{}\"", this.settings.name(),
						headers.get(IpHeaders.CONNECTION_ID), headers.get(IpHeaders.IP_ADDRESS),
						headers.get(IpHeaders.REMOTE_PORT), payload.length,
						Preview.of(payload, MessageLog.PREVIEW_BYTES));
		}
		return this.settings.reply().reply(payload, this.settings.ack());
	}

}
