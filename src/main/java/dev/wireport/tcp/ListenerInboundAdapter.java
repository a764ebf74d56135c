package dev.wireport.tcp;

import org.springframework.integration.ip.tcp.connection.AbstractServerConnectionFactory;
import org.springframework.integration.ip.tcp.inbound.TcpReceivingChannelAdapter;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;

/**
 * A listener's TCP inbound channel adapter: Spring Integration's, without its count of
 * the messages in flight.
 *
 * <p>
 * Spring Integration's adapter counts every message in and out on one atomic counter, for
 * the orderly shutdown of {@code OrderlyShutdownCapable}, which its JMX exporter starts
 * and this service does not run: the connections drain themselves at shutdown
 * ({@code wireport.tcp.drain-timeout}). The counter is one per listener, and every
 * event-loop thread wrote it twice per message, so its cache line went back and forth
 * between the cores, as a {@code DirectChannel}'s field did (see {@link TcpListeners}).
 * The adapter's other checks per message are of no use here either: a
 * {@link NettyTcpConnection} sends it no error messages, and no connection is single-use.
 */
final class ListenerInboundAdapter extends TcpReceivingChannelAdapter {

	ListenerInboundAdapter(AbstractServerConnectionFactory factory, MessageChannel output) {
		setConnectionFactory(factory);
		setOutputChannel(output);
	}

	@Override
	public void onMessage(Message<?> message) {
		sendMessage(message);
	}

}
