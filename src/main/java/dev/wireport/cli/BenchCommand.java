package dev.wireport.cli;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.wireport.framing.FrameCodec;
import dev.wireport.framing.Framing;
import dev.wireport.framing.FrameReader;
import org.HdrHistogram.Histogram;
import org.jspecify.annotations.Nullable;

/**
 * A load generator in the spirit of redis-benchmark: N connections (TCP) or senders
 * (UDP), each sending M messages of S bytes, request/reply or pipelined with a window
 * (TCP), checking every reply. Every loop is bounded by the message count and by
 * {@code --max-time}; a reply that does not come is counted as lost, and any loss makes
 * the command fail.
 */
final class BenchCommand extends Command {

	BenchCommand() {
		super("bench", "tcp|udp [options]",
				"Measures messages per second and latency percentiles, verifying every reply.",
				ClientTls.withTlsOptions(Options.Option.host(),
						new Options.Option("port", "", "server port (tcp: 9080, udp: 8090)"),
						new Options.Option("framing", "lf", "tcp framing: " + Framing.validNames()),
						new Options.Option("connections", "16", "tcp connections or udp senders"),
						new Options.Option("messages", "1000", "messages per connection or sender"),
						new Options.Option("size", "64", "payload bytes per message"),
						new Options.Option("window", "1", "tcp messages in flight per connection (1: request/reply)"),
						new Options.Option("ack", "",
								"expected reply (tcp: server接收消息成功, udp: server接收数据成功; - accepts any)"),
						new Options.Option("timeout", "5s", "connect timeout, and how long to wait for one reply"),
						new Options.Option("max-time", "60s", "the whole run stops after this")));
	}

	@Override
	void run(Options options, Io io) throws Exception {
		if (options.positional().size() != 1 || !List.of("tcp", "udp").contains(options.positional().get(0))) {
			throw CommandException.usage("expects tcp or udp");
		}
		boolean tcp = options.positional().get(0).equals("tcp");
		ClientTls tls = ClientTls.from(options);
		if (!tcp && tls != null) {
			throw CommandException.usage("--tls is for bench tcp");
		}
		Plan plan = new Plan(options.text("host"),
				options.text("port").isEmpty() ? (tcp ? 9080 : 8090) : options.port("port"),
				tcp ? options.framing("framing") : null, options.number("connections", 1, 10_000),
				options.number("messages", 1, 100_000_000), payload(options.number("size", 0, 16 * 1024 * 1024)),
				tcp ? options.number("window", 1, 100_000) : 1, expectedReply(options.text("ack"), tcp),
				options.duration("timeout"), options.duration("max-time"), tls);
		if (tcp) {
			String problem = plan.framing().codec(Integer.MAX_VALUE - 8).checkEncodable(plan.payload());
			if (problem != null) {
				throw CommandException.usage("--size " + plan.payload().length + " with framing "
						+ plan.framing().configName() + ": " + problem);
			}
		}
		io.out()
			.printf("bench %s %s:%d%s connections=%d messages=%d size=%d window=%d%n", tcp ? "tcp" : "udp", plan.host(),
					plan.port(), tcp ? " framing=" + plan.framing().configName() : "", plan.connections(),
					plan.messages(), plan.payload().length, plan.window());
		Totals totals = execute(plan, tcp);
		report(plan, totals, io);
		long expected = (long) plan.connections() * plan.messages();
		if (totals.replied() < expected || totals.bad() > 0) {
			throw new CommandException(CommandException.FAILED, (expected - totals.replied()) + " of " + expected
					+ " replies lost, " + totals.bad() + " wrong" + firstError(totals));
		}
	}

	private static String firstError(Totals totals) {
		return (totals.firstError() != null) ? "; first error: " + totals.firstError() : "";
	}

	private static byte[] payload(int size) {
		byte[] payload = new byte[size];
		for (int i = 0; i < size; i++) {
			payload[i] = (byte) ('a' + i % 26);
		}
		return payload;
	}

	private static byte[] expectedReply(String ack, boolean tcp) {
		if (ack.equals("-")) {
			return null;
		}
		String text = ack.isEmpty() ? (tcp ? "server接收消息成功" : "server接收数据成功") : ack;
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static Totals execute(Plan plan, boolean tcp) throws Exception {
		ExecutorService threads = Executors.newFixedThreadPool(plan.connections());
		CountDownLatch ready = new CountDownLatch(plan.connections());
		CountDownLatch start = new CountDownLatch(1);
		try {
			List<Future<Totals>> results = new ArrayList<>();
			for (int i = 0; i < plan.connections(); i++) {
				results
					.add(threads.submit(() -> tcp ? tcpConnection(plan, ready, start) : udpSender(plan, ready, start)));
			}
			ready.await(plan.maxTime().toMillis(), TimeUnit.MILLISECONDS);
			long began = System.nanoTime();
			start.countDown();
			Totals totals = Totals.EMPTY;
			for (Future<Totals> result : results) {
				totals = totals.plus(result.get());
			}
			return totals.withElapsed(System.nanoTime() - began);
		}
		finally {
			threads.shutdownNow();
		}
	}

	private static Totals tcpConnection(Plan plan, CountDownLatch ready, CountDownLatch start) throws Exception {
		Histogram latencies = latencyHistogram();
		FrameCodec codec = plan.framing().codec(TcpClientCommand.MAX_REPLY);
		long replied = 0;
		long bad = 0;
		Socket socket = null;
		try {
			socket = Endpoints.connect(plan.host(), plan.port(), plan.timeout(), plan.tls());
			OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
			FrameReader in = new FrameReader(socket.getInputStream(), codec);
			byte[] frame = codec.frame(plan.payload());
			ready.countDown();
			start.await();
			long deadline = System.nanoTime() + plan.maxTime().toNanos();
			long[] sentAt = new long[plan.window()];
			long sent = 0;
			while (replied < plan.messages() && System.nanoTime() < deadline) {
				while (sent < plan.messages() && sent - replied < plan.window()) {
					sentAt[(int) (sent % plan.window())] = System.nanoTime();
					out.write(frame);
					sent++;
				}
				out.flush();
				byte[] reply = Endpoints.receive(in, plan.timeout());
				latencies.recordValue(System.nanoTime() - sentAt[(int) (replied % plan.window())]);
				replied++;
				if (plan.expected() != null && !Arrays.equals(reply, plan.expected())) {
					bad++;
				}
			}
			return new Totals(replied, bad, latencies, null, 0);
		}
		catch (CommandException | IOException ex) {
			ready.countDown();
			return new Totals(replied, bad, latencies, ex.getMessage(), 0);
		}
		finally {
			if (socket != null) {
				socket.close();
			}
		}
	}

	private static Totals udpSender(Plan plan, CountDownLatch ready, CountDownLatch start) throws Exception {
		Histogram latencies = latencyHistogram();
		long replied = 0;
		long bad = 0;
		String firstError = null;
		try (DatagramSocket socket = new DatagramSocket()) {
			socket.connect(new InetSocketAddress(plan.host(), plan.port()));
			socket.setSoTimeout((int) plan.timeout().toMillis());
			DatagramPacket request = new DatagramPacket(plan.payload(), plan.payload().length);
			DatagramPacket reply = new DatagramPacket(new byte[UdpClientCommand.MAX_DATAGRAM],
					UdpClientCommand.MAX_DATAGRAM);
			ready.countDown();
			start.await();
			long deadline = System.nanoTime() + plan.maxTime().toNanos();
			for (int m = 0; m < plan.messages() && System.nanoTime() < deadline; m++) {
				long sentAt = System.nanoTime();
				socket.send(request);
				try {
					socket.receive(reply);
				}
				catch (SocketTimeoutException ex) {
					firstError = (firstError != null) ? firstError
							: "no reply within " + plan.timeout().toMillis() + "ms";
					continue;
				}
				latencies.recordValue(System.nanoTime() - sentAt);
				replied++;
				if (plan.expected() != null && !Arrays.equals(reply.getData(), 0, reply.getLength(), plan.expected(), 0,
						plan.expected().length)) {
					bad++;
				}
			}
		}
		catch (IOException ex) {
			ready.countDown();
			firstError = (firstError != null) ? firstError : Endpoints.reason(ex);
		}
		return new Totals(replied, bad, latencies, firstError, 0);
	}

	private static void report(Plan plan, Totals totals, Io io) {
		long expected = (long) plan.connections() * plan.messages();
		double seconds = totals.elapsedNanos() / 1e9;
		Histogram latencies = totals.latencies();
		io.out()
			.printf("replies: %d/%d lost=%d wrong=%d%n", totals.replied(), expected, expected - totals.replied(),
					totals.bad());
		io.out().printf("elapsed: %.3f s  rate: %.0f msg/s%n", seconds, totals.replied() / Math.max(seconds, 1e-9));
		io.out()
			.printf("latency: p50=%s p99=%s p99.9=%s max=%s%n", micros(latencies.getValueAtPercentile(50)),
					micros(latencies.getValueAtPercentile(99)), micros(latencies.getValueAtPercentile(99.9)),
					micros(latencies.getMaxValue()));
		io.out().flush();
	}

	private static String micros(long nanos) {
		return String.format("%.0fus", nanos / 1e3);
	}

	private record Plan(String host, int port, Framing framing, int connections, int messages, byte[] payload,
			int window, byte[] expected, Duration timeout, Duration maxTime, @Nullable ClientTls tls) {
	}

	/**
	 * Latencies in nanoseconds, to 3 significant digits, in a histogram that grows to the
	 * largest value recorded. Not thread-safe: each connection records into its own and
	 * they are merged at the end.
	 */
	private static Histogram latencyHistogram() {
		return new Histogram(3);
	}

	private record Totals(long replied, long bad, Histogram latencies, String firstError, long elapsedNanos) {

		static final Totals EMPTY = new Totals(0, 0, latencyHistogram(), null, 0);

		Totals plus(Totals other) {
			Histogram merged = latencyHistogram();
			merged.add(this.latencies);
			merged.add(other.latencies);
			return new Totals(this.replied + other.replied, this.bad + other.bad, merged,
					(this.firstError != null) ? this.firstError : other.firstError, 0);
		}

		Totals withElapsed(long nanos) {
			return new Totals(this.replied, this.bad, this.latencies, this.firstError, nanos);
		}

	}

}
