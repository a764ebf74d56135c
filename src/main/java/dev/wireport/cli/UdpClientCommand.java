package dev.wireport.cli;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The seed's UDP client: sends one datagram from a connected socket and prints the reply
 * the way the seed does, {@code recv:<text> addr:<host:port> count:<bytes>}.
 */
final class UdpClientCommand extends Command {

	static final int MAX_DATAGRAM = 65_507;

	UdpClientCommand() {
		super("udp-client", "[options]", "Sends one datagram and prints the reply.", Options.Option.host(),
				Options.Option.port("8090"), new Options.Option("message", "Hello server!!!", "the datagram's text"),
				new Options.Option("timeout", "5s", "how long to wait for the reply"));
	}

	@Override
	void run(Options options, Io io) throws Exception {
		String host = options.text("host");
		int port = options.port("port");
		Duration timeout = options.duration("timeout");
		byte[] message = options.text("message").getBytes(StandardCharsets.UTF_8);
		String server = host + ":" + port;
		try (DatagramSocket socket = new DatagramSocket()) {
			// Connected, like the seed's client: datagrams from any other address are
			// dropped, and an ICMP "port unreachable" surfaces as an error.
			socket.connect(new InetSocketAddress(host, port));
			socket.setSoTimeout((int) timeout.toMillis());
			socket.send(new DatagramPacket(message, message.length));
			DatagramPacket reply = new DatagramPacket(new byte[MAX_DATAGRAM], MAX_DATAGRAM);
			socket.receive(reply);
			String text = new String(reply.getData(), 0, reply.getLength(), StandardCharsets.UTF_8);
			io.out()
				.printf("recv:%s addr:%s:%d count:%d%n", text, reply.getAddress().getHostAddress(), reply.getPort(),
						reply.getLength());
		}
		catch (SocketTimeoutException ex) {
			throw new CommandException("no reply from " + server + " within " + timeout.toMillis() + "ms", ex);
		}
		catch (PortUnreachableException ex) {
			throw new CommandException("nothing listens on " + server + " (port unreachable)", ex);
		}
		catch (IOException ex) {
			throw new CommandException("exchange with " + server + " failed: " + Endpoints.reason(ex), ex);
		}
	}

}
