package dev.wireport.cli;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import dev.wireport.framing.FrameCodec;
import dev.wireport.framing.FrameReader;
import dev.wireport.framing.Framing;

/**
 * The seed's sticky-packet client: writes the same message {@code --count} times back to
 * back on one connection, one write each, then half-closes and counts the replies. With
 * {@code chunk} framing the writes arrive glued and the server answers fewer; with any
 * delimiting framing it answers every one.
 */
final class StickyDemoCommand extends Command {

	StickyDemoCommand() {
		super("sticky-demo", "[options]",
				"Writes a burst of messages back to back and prints how many the server acknowledged.",
				ClientTls.withTlsOptions(Options.Option.host(), Options.Option.port("9000"),
						Options.Option.framing("chunk"), new Options.Option("count", "20", "messages in the burst"),
						new Options.Option("message", "hello,How are you???", "the message"),
						new Options.Option("ack", "server接收消息成功",
								"the acknowledgement to count where replies are not framed (chunk, raw)"),
						new Options.Option("timeout", "5s", "connect and reply timeout")));
	}

	@Override
	void run(Options options, Io io) throws Exception {
		Framing framing = options.framing("framing");
		int count = options.number("count", 1, 1_000_000);
		byte[] message = options.text("message").getBytes(StandardCharsets.UTF_8);
		Duration timeout = options.duration("timeout");
		ClientTls tls = ClientTls.from(options);
		FrameCodec codec = framing.codec(TcpClientCommand.MAX_REPLY);
		byte[] frame = codec.frame(message);
		byte[] replies;
		try (Socket socket = Endpoints.connect(options.text("host"), options.port("port"), timeout, tls)) {
			OutputStream out = socket.getOutputStream();
			for (int i = 0; i < count; i++) {
				out.write(frame);
			}
			// The server answers what it has and then closes: the replies end there.
			socket.shutdownOutput();
			replies = readToEnd(socket.getInputStream(), timeout);
		}
		int acknowledged = (framing == Framing.CHUNK || framing == Framing.RAW)
				? occurrences(replies, options.text("ack").getBytes(StandardCharsets.UTF_8)) : frames(codec, replies);
		io.out()
			.printf("sent %d messages of %d bytes back to back with framing %s%n", count, message.length,
					framing.configName());
		io.out().printf("acknowledged: %d%n", acknowledged);
	}

	private static byte[] readToEnd(InputStream in, Duration timeout) throws CommandException, IOException {
		try {
			return in.readAllBytes();
		}
		catch (SocketTimeoutException ex) {
			throw new CommandException("the server did not finish replying within " + timeout.toMillis() + "ms", ex);
		}
	}

	private static int occurrences(byte[] haystack, byte[] needle) {
		int found = 0;
		outer: for (int i = 0; i <= haystack.length - needle.length; i++) {
			for (int j = 0; j < needle.length; j++) {
				if (haystack[i + j] != needle[j]) {
					continue outer;
				}
			}
			found++;
			i += needle.length - 1;
		}
		return found;
	}

	private static int frames(FrameCodec codec, byte[] replies) throws IOException {
		FrameReader in = new FrameReader(new ByteArrayInputStream(replies), codec);
		int found = 0;
		while (in.read() != null) {
			found++;
		}
		return found;
	}

}
