package dev.wireport.netns;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The peer a fault test runs in a {@link NetworkNamespace}: a plain JDK program, started
 * with the test classes only, that plays one part and says what it did, a line at a time,
 * on its standard output. Every loop is bounded in count and time.
 *
 * <ul>
 * <li>{@code converse <host> <port> <messages>}: one connection, that many messages of
 * {@code lf} framing each answered, then {@code conversing <local port>}; it then holds
 * the connection without a word until its input ends.</li>
 * <li>{@code flood <host> <port>}: one connection, 1 KiB messages sent as fast as they go
 * while another thread reads the replies; {@code flowing} once 1 MiB of replies came
 * back.</li>
 * <li>{@code sequence <host> <port>}: numbered messages, each waiting for its echo,
 * {@code progress <n>} every 100 answers, until the input says {@code stop}; then
 * {@code done sent=.. answered=.. wrong=.. extra=.. longest=<ms>}, the last the longest
 * wait for an answer.</li>
 * <li>{@code datagrams <host> <port> <count>}: that many datagrams as fast as they go,
 * then {@code sent <count>}.</li>
 * <li>{@code storm <host> <port> <connects> <threads>}: that many connections, each
 * sending one message: answered ones are held open, then
 * {@code storm answered=.. error=.. refused=.. failed=..}.</li>
 * <li>{@code http <port> partial|silent}: an HTTP server that sends the headers and part
 * of the body then stops ({@code partial}), or reads the request and never answers
 * ({@code silent}); {@code listening} once bound, {@code requested} once a request was
 * read.</li>
 * </ul>
 */
public final class NamespaceClient {

	private static final long MAX_MILLIS = 60_000;

	private NamespaceClient() {
	}

	public static void main(String[] args) throws Exception {
		switch (args[0]) {
			case "converse" -> converse(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]));
			case "flood" -> flood(args[1], Integer.parseInt(args[2]), args[3].equals("reading"));
			case "sequence" -> sequence(args[1], Integer.parseInt(args[2]));
			case "datagrams" -> datagrams(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]));
			case "storm" ->
				storm(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]));
			case "http" -> http(Integer.parseInt(args[1]), args[2]);
			default -> throw new IllegalArgumentException("Unknown part: " + args[0]);
		}
	}

	private static synchronized void say(String line) {
		System.out.println(line);
		System.out.flush();
	}

	private static Socket connect(String host, int port) throws IOException {
		Socket socket = new Socket();
		socket.setTcpNoDelay(true);
		socket.connect(new InetSocketAddress(host, port), 5000);
		socket.setSoTimeout((int) MAX_MILLIS);
		return socket;
	}

	/** Waits until the test ends this process's input (or the time is up). */
	private static void holdUntilInputEnds() throws IOException {
		System.in.transferTo(OutputStream.nullOutputStream());
	}

	private static String readLine(InputStream in) throws IOException {
		StringBuilder line = new StringBuilder();
		for (int b = in.read(); b != '\n'; b = in.read()) {
			if (b < 0) {
				return null;
			}
			line.append((char) b);
		}
		return line.toString();
	}

	private static void converse(String host, int port, int messages) throws IOException {
		try (Socket socket = connect(host, port)) {
			InputStream in = socket.getInputStream();
			for (int i = 0; i < messages; i++) {
				socket.getOutputStream().write(("m" + i + "\n").getBytes(StandardCharsets.US_ASCII));
				if (readLine(in) == null) {
					throw new IOException("closed after " + i + " answers");
				}
			}
			say("conversing " + socket.getLocalPort());
			holdUntilInputEnds();
		}
	}

	private static void flood(String host, int port, boolean reading) throws Exception {
		try (Socket socket = connect(host, port)) {
			if (!reading) {
				say("flowing");
			}
			AtomicLong answered = new AtomicLong();
			Thread reader = new Thread(() -> {
				byte[] buffer = new byte[64 * 1024];
				boolean told = false;
				try (InputStream in = socket.getInputStream()) {
					for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
						if (answered.addAndGet(n) > 1024 * 1024 && !told) {
							say("flowing");
							told = true;
						}
					}
				}
				catch (IOException ex) {
					say("reader ended: " + ex.getMessage());
				}
			});
			reader.setDaemon(true);
			if (reading) {
				reader.start();
			}
			byte[] message = ("f".repeat(1023) + "\n").getBytes(StandardCharsets.US_ASCII);
			byte[] batch = new byte[message.length * 16];
			for (int i = 0; i < 16; i++) {
				System.arraycopy(message, 0, batch, i * message.length, message.length);
			}
			long end = System.currentTimeMillis() + MAX_MILLIS;
			OutputStream out = socket.getOutputStream();
			// 1 GiB at most; a vanished link blocks the writes long before.
			for (int i = 0; i < 64 * 1024 && System.currentTimeMillis() < end; i++) {
				out.write(batch);
			}
			holdUntilInputEnds();
		}
	}

	private static void sequence(String host, int port) throws Exception {
		AtomicInteger stop = new AtomicInteger();
		Thread control = new Thread(() -> {
			try {
				BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
				for (String line = in.readLine(); line != null && !line.equals("stop"); line = in.readLine()) {
					// Only "stop" means something.
				}
			}
			catch (IOException ex) {
				// Input ended: stop too.
			}
			stop.set(1);
		});
		control.setDaemon(true);
		control.start();
		int sent = 0;
		int answered = 0;
		int wrong = 0;
		long longest = 0;
		long last = System.nanoTime();
		long end = System.currentTimeMillis() + MAX_MILLIS;
		try (Socket socket = connect(host, port)) {
			InputStream in = socket.getInputStream();
			OutputStream out = socket.getOutputStream();
			while (stop.get() == 0 && System.currentTimeMillis() < end && sent < 1_000_000) {
				String message = "s" + sent;
				out.write((message + "\n").getBytes(StandardCharsets.US_ASCII));
				sent++;
				String reply = readLine(in);
				if (reply == null) {
					break;
				}
				answered++;
				long now = System.nanoTime();
				longest = Math.max(longest, now - last);
				last = now;
				if (!reply.equals(message)) {
					wrong++;
				}
				if (answered % 100 == 0) {
					say("progress " + answered);
				}
			}
			// Anything after the last answer would be a reply delivered twice.
			socket.shutdownOutput();
			int extra = in.readAllBytes().length;
			say("done sent=" + sent + " answered=" + answered + " wrong=" + wrong + " extra=" + extra + " longest="
					+ TimeUnit.NANOSECONDS.toMillis(longest));
		}
	}

	private static void datagrams(String host, int port, int count) throws IOException {
		try (DatagramSocket socket = new DatagramSocket()) {
			socket.connect(new InetSocketAddress(host, port));
			int sent = 0;
			long end = System.currentTimeMillis() + MAX_MILLIS;
			try {
				for (; sent < count && System.currentTimeMillis() < end; sent++) {
					byte[] payload = ("d" + sent).getBytes(StandardCharsets.US_ASCII);
					socket.send(new DatagramPacket(payload, payload.length));
				}
			}
			catch (IOException ex) {
				say("sending failed after " + sent + ": " + ex.getMessage());
			}
			say("sent " + sent);
			holdUntilInputEnds();
		}
	}

	private static void storm(String host, int port, int connects, int threads) throws Exception {
		AtomicInteger answered = new AtomicInteger();
		AtomicInteger error = new AtomicInteger();
		AtomicInteger refused = new AtomicInteger();
		AtomicInteger failed = new AtomicInteger();
		List<String> failures = new ArrayList<>();
		List<Socket> held = new ArrayList<>();
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		long started = System.nanoTime();
		for (int i = 0; i < connects; i++) {
			pool.execute(() -> {
				Socket socket = new Socket();
				try {
					socket.setSoTimeout(30_000);
					socket.connect(new InetSocketAddress(host, port), 30_000);
					socket.getOutputStream().write("storm\n".getBytes(StandardCharsets.US_ASCII));
					String reply = readLine(socket.getInputStream());
					if (reply != null && reply.startsWith("ERROR")) {
						error.incrementAndGet();
						socket.close();
					}
					else if (reply != null) {
						answered.incrementAndGet();
						synchronized (held) {
							held.add(socket);
						}
					}
					else {
						refused.incrementAndGet();
						socket.close();
					}
				}
				catch (IOException ex) {
					closeQuietly(socket);
					if (ex.getMessage() != null && ex.getMessage().contains("reset")) {
						refused.incrementAndGet();
					}
					else {
						failed.incrementAndGet();
						synchronized (failures) {
							failures.add(ex.toString());
						}
					}
				}
			});
		}
		pool.shutdown();
		pool.awaitTermination(MAX_MILLIS, TimeUnit.MILLISECONDS);
		long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
		say("storm answered=" + answered + " error=" + error + " refused=" + refused + " failed=" + failed + " millis="
				+ millis + " failures=" + failures.stream().distinct().limit(5).toList());
		holdUntilInputEnds();
		held.forEach(NamespaceClient::closeQuietly);
	}

	private static void closeQuietly(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// Closing is all that is left.
		}
	}

	private static void http(int port, String mode) throws IOException {
		try (ServerSocket server = new ServerSocket()) {
			server.bind(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), port));
			say("listening " + server.getLocalPort());
			List<Socket> held = new ArrayList<>();
			server.setSoTimeout((int) MAX_MILLIS);
			while (held.size() < 100) {
				Socket socket = server.accept();
				held.add(socket);
				InputStream in = socket.getInputStream();
				for (String line = readLine(in); line != null && !line.strip().isEmpty(); line = readLine(in)) {
					// The request's head, read to its end.
				}
				say("requested");
				if (mode.equals("partial")) {
					OutputStream out = socket.getOutputStream();
					out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 1000000\r\n\r\n")
						.getBytes(StandardCharsets.US_ASCII));
					out.write("p".repeat(10_000).getBytes(StandardCharsets.US_ASCII));
					out.flush();
					say("partial");
				}
			}
		}
	}

}
