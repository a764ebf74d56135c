package dev.wireport.udp;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.Arrays;

import dev.wireport.netns.HealthyLoad;

/**
 * Well-behaved UDP senders that load a listener while a test makes a fault: each sends a
 * datagram over 127.0.0.1 and waits for its reply (5 s at most) before the next
 * (1,000,000 at most).
 */
final class HealthySenders {

	private static final int MAX_DATAGRAMS = 1_000_000;

	private HealthySenders() {
	}

	/**
	 * Starts the senders.
	 * @param port the listener's port
	 * @param senders how many
	 * @param ack the listener's acknowledgement
	 * @return the running senders
	 */
	static HealthyLoad start(int port, int senders, byte[] ack) {
		return new HealthyLoad("healthy senders", senders, MAX_DATAGRAMS, (sender) -> {
			DatagramSocket socket = new DatagramSocket();
			socket.connect(new InetSocketAddress("127.0.0.1", port));
			socket.setSoTimeout(5000);
			DatagramPacket reply = new DatagramPacket(new byte[1024], 1024);
			return new HealthyLoad.Peer() {

				@Override
				public byte[] ask(byte[] request) throws IOException {
					socket.send(new DatagramPacket(request, request.length));
					socket.receive(reply);
					return Arrays.copyOf(reply.getData(), reply.getLength());
				}

				@Override
				public void close() {
					socket.close();
				}

			};
		}, ack);
	}

}
