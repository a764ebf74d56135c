package dev.wireport.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import dev.wireport.framing.FrameCodec;
import dev.wireport.framing.Framing;
import dev.wireport.framing.FrameReader;

/**
 * The seed's TCP client: each line of standard input, trimmed, is sent as one message and
 * the reply printed; {@code Q} or {@code q}, or the end of input, quits. Empty lines are
 * skipped (the seed would send nothing and wait forever). With {@code raw} framing, where
 * a message ends at the client's half-close, each line uses its own connection.
 */
final class TcpClientCommand extends Command {

	/** Replies are acks or echoes; this only bounds what a misbehaving server costs. */
	static final int MAX_REPLY = 16 * 1024 * 1024;

	TcpClientCommand() {
		super("tcp-client", "[options]",
				"Sends each line of standard input as one message and prints each reply; Q quits.",
				ClientTls.withTlsOptions(Options.Option.host(), Options.Option.port("9000"),
						Options.Option.framing("chunk"),
						new Options.Option("timeout", "5s", "connect and reply timeout")));
	}

	@Override
	void run(Options options, Io io) throws Exception {
		String host = options.text("host");
		int port = options.port("port");
		Framing framing = options.framing("framing");
		Duration timeout = options.duration("timeout");
		ClientTls tls = ClientTls.from(options);
		FrameCodec codec = framing.codec(MAX_REPLY);
		BufferedReader lines = new BufferedReader(new InputStreamReader(io.in(), StandardCharsets.UTF_8));
		// Connect at once, like the seed, so a server that is down is reported before
		// any typing; raw framing needs a connection per message instead.
		Connection connection = (framing != Framing.RAW)
				? new Connection(Endpoints.connect(host, port, timeout, tls), codec) : null;
		try {
			String line;
			while ((line = lines.readLine()) != null) {
				String message = line.trim();
				if (message.equalsIgnoreCase("Q")) {
					break;
				}
				if (message.isEmpty()) {
					continue;
				}
				if (framing == Framing.RAW) {
					close(connection);
					connection = new Connection(Endpoints.connect(host, port, timeout, tls), codec);
				}
				byte[] reply;
				try {
					reply = connection.exchange(codec, framing, message.getBytes(StandardCharsets.UTF_8), timeout);
				}
				catch (CommandException ex) {
					throw Endpoints.withFramingHint(ex, framing, port);
				}
				io.out().write(reply);
				io.out().println();
				io.out().flush();
			}
		}
		finally {
			close(connection);
		}
	}

	private static void close(Connection connection) throws IOException {
		if (connection != null) {
			connection.socket().close();
		}
	}

	private record Connection(Socket socket, FrameReader in) {

		Connection(Socket socket, FrameCodec codec) throws IOException {
			this(socket, new FrameReader(socket.getInputStream(), codec));
		}

		byte[] exchange(FrameCodec codec, Framing framing, byte[] message, Duration timeout)
				throws CommandException, IOException {
			try {
				OutputStream out = this.socket.getOutputStream();
				out.write(codec.frame(message));
				out.flush();
				if (framing == Framing.RAW) {
					this.socket.shutdownOutput();
				}
			}
			catch (IOException ex) {
				throw new CommandException("sending failed: " + Endpoints.reason(ex), ex);
			}
			return Endpoints.receive(this.in, timeout);
		}

	}

}
