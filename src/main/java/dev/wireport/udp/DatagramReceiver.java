package dev.wireport.udp;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.util.Arrays;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.integration.ip.IpHeaders;
import org.springframework.integration.ip.udp.inbound.UnicastReceivingChannelAdapter;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.GenericMessage;

/**
 * Spring Integration's UDP inbound adapter on a socket bound by wireport (so that a port
 * in use fails start-up), receiving into one reused buffer one byte larger than the
 * maximum datagram size: a datagram that fills it was longer than the limit and the JDK
 * cut it, so it is counted as truncated and dropped rather than handled as if whole.
 * Empty datagrams are ignored. Everything else is handed to the handler threads, so the
 * receiving thread never waits for them; with {@code handler-threads: 0} the receiving
 * thread handles it itself.
 */
class DatagramReceiver extends UnicastReceivingChannelAdapter {

	private static final Logger logger = LoggerFactory.getLogger(DatagramReceiver.class);

	private final UdpListenerSettings settings;

	private final UdpListenerMetrics metrics;

	private final DatagramSocket boundSocket;

	private final byte[] buffer;

	private final DatagramPacket receivePacket;

	DatagramReceiver(UdpListenerSettings settings, DatagramSocket socket, UdpListenerMetrics metrics) {
		super(socket.getLocalPort());
		this.settings = settings;
		this.metrics = metrics;
		this.boundSocket = socket;
		this.buffer = new byte[settings.maxDatagramSize() + 1];
		this.receivePacket = new DatagramPacket(this.buffer, this.buffer.length);
		setSocket(socket);
		setLookupHost(false);
	}

	@Override
	protected DatagramPacket receive() throws IOException {
		this.receivePacket.setLength(this.buffer.length);
		this.boundSocket.receive(this.receivePacket);
		byte[] datagram = Arrays.copyOf(this.buffer, this.receivePacket.getLength());
		return new DatagramPacket(datagram, datagram.length, this.receivePacket.getSocketAddress());
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
			// No hand-off: waking a handler thread per datagram was 40 % of the server's
			// CPU per datagram in request/reply (docs/performance.md).
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
		this.boundSocket.close();
	}

}
