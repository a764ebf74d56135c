package dev.wireport.udp;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Arrays;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.integration.ip.IpHeaders;
import org.springframework.integration.ip.udp.inbound.UnicastReceivingChannelAdapter;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.GenericMessage;

/**
 * Spring Integration's UDP inbound adapter on a channel bound by wireport (so that a port
 * in use fails start-up), receiving into one reused buffer one byte larger than the
 * maximum datagram size: a datagram that fills it was longer than the limit and the JDK
 * cut it, so it is counted as truncated and dropped rather than handled as if whole.
 * Empty datagrams are ignored.
 * <p>
 * The channel is non-blocking, so that replies sent on it never wait either (a full send
 * buffer drops the reply, counted); the receiving loop waits for datagrams in a
 * {@link Selector}. With {@code handler-threads: 0}, the default, the receiving thread
 * handles each datagram itself: handling never blocks (the log line is queued, the reply
 * is a non-blocking send), and it saves the hand-off to another thread that cost 40 % of
 * the CPU per datagram (docs/performance.md). Otherwise datagrams are handed to the
 * handler threads.
 */
class DatagramReceiver extends UnicastReceivingChannelAdapter {

	private static final Logger logger = LoggerFactory.getLogger(DatagramReceiver.class);

	private final UdpListenerSettings settings;

	private final UdpListenerMetrics metrics;

	private final DatagramChannel channel;

	private final Selector selector;

	private final ByteBuffer buffer;

	DatagramReceiver(UdpListenerSettings settings, DatagramChannel channel, UdpListenerMetrics metrics)
			throws IOException {
		super(channel.socket().getLocalPort());
		this.settings = settings;
		this.metrics = metrics;
		this.channel = channel;
		this.buffer = ByteBuffer.allocate(settings.maxDatagramSize() + 1);
		this.selector = Selector.open();
		channel.configureBlocking(false);
		channel.register(this.selector, SelectionKey.OP_READ);
		setSocket(channel.socket());
		setLookupHost(false);
	}

	/**
	 * The next datagram, waiting for one in the selector only when none is queued.
	 * Stopping wakes the selector; the adapter's loop then ends on the timeout exception
	 * or, if the channel was already closed, on the socket exception.
	 */
	@Override
	protected DatagramPacket receive() throws IOException {
		try {
			this.buffer.clear();
			SocketAddress sender;
			while ((sender = this.channel.receive(this.buffer)) == null) {
				if (!isActive()) {
					throw new SocketTimeoutException("listener stopped");
				}
				this.selector.select();
				this.selector.selectedKeys().clear();
			}
			byte[] datagram = Arrays.copyOf(this.buffer.array(), this.buffer.position());
			return new DatagramPacket(datagram, datagram.length, sender);
		}
		catch (ClosedChannelException | ClosedSelectorException ex) {
			throw new SocketException("listener stopped");
		}
	}

	@Override
	protected boolean asyncSendMessage(DatagramPacket packet) {
		if (packet.getLength() > this.settings.maxDatagramSize()) {
			this.metrics.truncated.increment();
			logger.warn("listener={} remote={} datagram longer than the maximum of {} bytes: truncated, dropped",
					this.settings.name(), packet.getSocketAddress(), this.settings.maxDatagramSize());
			return true;
		}
		if (packet.getLength() == 0) {
			this.metrics.empty.increment();
			return true;
		}
		if (this.settings.handlesOnReceivingThread()) {
			doSend(packet);
			return true;
		}
		return super.asyncSendMessage(packet);
	}

	/**
	 * Maps the datagram to a message carrying only the sender's address, the one header
	 * the flow reads; the adapter's own mapper adds seven more, and copying them was most
	 * of the handler threads' own CPU profile under load.
	 */
	@Override
	protected void doSend(DatagramPacket packet) {
		Message<byte[]> message = new GenericMessage<>(packet.getData(),
				Map.of(IpHeaders.PACKET_ADDRESS, packet.getSocketAddress()));
		try {
			sendMessage(message);
		}
		catch (RuntimeException ex) {
			logger.error("listener={} remote={} datagram not handled", this.settings.name(), packet.getSocketAddress(),
					ex);
		}
	}

	@Override
	protected void doStop() {
		super.doStop();
		this.selector.wakeup();
		try {
			this.channel.close();
			this.selector.close();
		}
		catch (IOException ex) {
			logger.debug("listener={} closing its channel: {}", this.settings.name(), ex.getMessage());
		}
	}

}
