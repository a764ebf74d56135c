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
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.wireport.config.EnvironmentVariable;
import dev.wireport.framing.FrameCodec;
import dev.wireport.framing.Framing;
import dev.wireport.framing.FrameReader;
import dev.wireport.udp.UdpProperties;
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
			long unsent = expected - totals.sent();
			throw new CommandException(CommandException.FAILED,
					(totals.sent() - totals.replied()) + " of " + totals.sent() + " replies lost, " + totals.bad()
							+ " wrong"
							+ ((unsent > 0) ? ", " + unsent + " messages not sent (the run ended first: --max-time "
									+ plan.maxTime().toSeconds() + "s, or a connection failed)" : "")
							+ firstError(plan, totals, tcp));
		}
	}

	/**
	 * The first error, and what it likely means: with TCP, a framing that does not match
	 * the listener's when no reply came at all; with UDP, the service's per-source reply
	 * limit when replies stopped after a burst.
	 */
	private static String firstError(Plan plan, Totals totals, boolean tcp) {
		if (totals.firstError() == null) {
			return "";
		}
		Exception error = totals.firstError();
		if (tcp && totals.replied() == 0 && error instanceof CommandException command) {
			error = Endpoints.withFramingHint(command, plan.framing(), plan.port());
		}
		String hint = (!tcp && totals.stoppedAfterBurst()) ? "\n" + replyLimitHint(plan, totals) : "";
		return "; first error: " + error.getMessage() + hint;
	}

	private static String replyLimitHint(Plan plan, Totals totals) {
		ServiceDefaults defaults = ServiceDefaults.load();
		String listener = defaults.udp()
			.listeners()
			.entrySet()
			.stream()
			.filter((entry) -> entry.getValue().port() == plan.port())
			.map(Map.Entry::getKey)
			.findFirst()
			.orElse("<name>");
		UdpProperties.Listener limits = defaults.udp().listeners().values().iterator().next();
		String rate = "wireport.udp.listeners." + listener + ".reply-rate";
		String burst = "wireport.udp.listeners." + listener + ".reply-burst";
		return String.format("replies stopped after the first %d, then came at about %.0f/s: the likely cause is the"
				+ " service's reply limit per source address (reply-rate %.0f/s, reply-burst %d unless configured),"
				+ " a guard against reflection, and every sender of this benchmark is one source.%n"
				+ "Raise it for a benchmark: --%s=1000000 --%s=1000000 (or %s=1000000 %s=1000000)",
				totals.repliedBeforeFirstLoss(), totals.repliesPerSecondAfterFirstLoss(), limits.replyRate(),
				limits.replyBurst(), rate, burst, EnvironmentVariable.of(rate), EnvironmentVariable.of(burst));
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
			return totals.between(began, System.nanoTime());
		}
		finally {
			threads.shutdownNow();
		}
	}

	private static Totals tcpConnection(Plan plan, CountDownLatch ready, CountDownLatch start) throws Exception {
		Histogram latencies = latencyHistogram();
		FrameCodec codec = plan.framing().codec(TcpClientCommand.MAX_REPLY);
		long sent = 0;
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
			return Totals.of(sent, replied, bad, latencies, null);
		}
		catch (CommandException | IOException ex) {
			ready.countDown();
			return Totals.of(sent, replied, bad, latencies, ex);
		}
		finally {
			if (socket != null) {
				socket.close();
			}
		}
	}

	private static Totals udpSender(Plan plan, CountDownLatch ready, CountDownLatch start) throws Exception {
		Histogram latencies = latencyHistogram();
		long sent = 0;
		long replied = 0;
		long bad = 0;
		Loss loss = new Loss();
		Exception firstError = null;
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
				sent++;
				try {
					socket.receive(reply);
				}
				catch (SocketTimeoutException ex) {
					loss.lost(sentAt);
					firstError = (firstError != null) ? firstError
							: new CommandException("no reply within " + plan.timeout().toMillis() + "ms", ex);
					continue;
				}
				latencies.recordValue(System.nanoTime() - sentAt);
				replied++;
				loss.replied();
				if (plan.expected() != null && !Arrays.equals(reply.getData(), 0, reply.getLength(), plan.expected(), 0,
						plan.expected().length)) {
					bad++;
				}
			}
		}
		catch (IOException ex) {
			ready.countDown();
			firstError = (firstError != null) ? firstError : new CommandException(Endpoints.reason(ex), ex);
		}
		return new Totals(sent, replied, bad, latencies, firstError, loss, 0, 0);
	}

	private static void report(Plan plan, Totals totals, Io io) {
		long expected = (long) plan.connections() * plan.messages();
		double seconds = totals.elapsedNanos() / 1e9;
		Histogram latencies = totals.latencies();
		long unsent = expected - totals.sent();
		io.out()
			.printf("replies: %d/%d lost=%d wrong=%d%s%n", totals.replied(), expected, totals.sent() - totals.replied(),
					totals.bad(), (unsent > 0) ? " unsent=" + unsent : "");
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

	/**
	 * When one UDP sender's replies stopped coming: the service's reply limit answers a
	 * burst, then only as fast as its rate, so a sender that got replies loses some. A
	 * loss before the first reply does not count: a service still warming up may be slow,
	 * or not there at all.
	 */
	private static final class Loss {

		private long stoppedAt = Long.MAX_VALUE;

		private long repliedBefore;

		private long repliedAfter;

		private long lostAfter;

		void lost(long sentAt) {
			if (this.repliedBefore > 0) {
				this.stoppedAt = Math.min(this.stoppedAt, sentAt);
				this.lostAfter++;
			}
		}

		void replied() {
			if (this.stoppedAt == Long.MAX_VALUE) {
				this.repliedBefore++;
			}
			else {
				this.repliedAfter++;
			}
		}

		Loss plus(Loss other) {
			Loss sum = new Loss();
			sum.stoppedAt = Math.min(this.stoppedAt, other.stoppedAt);
			sum.repliedBefore = this.repliedBefore + other.repliedBefore;
			sum.repliedAfter = this.repliedAfter + other.repliedAfter;
			sum.lostAfter = this.lostAfter + other.lostAfter;
			return sum;
		}

	}

	/**
	 * @param began when the senders started ({@link System#nanoTime()})
	 * @param ended when the last one finished
	 */
	private record Totals(long sent, long replied, long bad, Histogram latencies, Exception firstError, Loss loss,
			long began, long ended) {

		static final Totals EMPTY = of(0, 0, 0, latencyHistogram(), null);

		static Totals of(long sent, long replied, long bad, Histogram latencies, Exception firstError) {
			return new Totals(sent, replied, bad, latencies, firstError, new Loss(), 0, 0);
		}

		Totals plus(Totals other) {
			Histogram merged = latencyHistogram();
			merged.add(this.latencies);
			merged.add(other.latencies);
			return new Totals(this.sent + other.sent, this.replied + other.replied, this.bad + other.bad, merged,
					(this.firstError != null) ? this.firstError : other.firstError, this.loss.plus(other.loss), 0, 0);
		}

		Totals between(long began, long ended) {
			return new Totals(this.sent, this.replied, this.bad, this.latencies, this.firstError, this.loss, began,
					ended);
		}

		long elapsedNanos() {
			return this.ended - this.began;
		}

		/**
		 * Whether the replies came, then some stopped coming: the pattern of the
		 * service's reply limit (a loopback or LAN path loses next to nothing).
		 */
		boolean stoppedAfterBurst() {
			return this.loss.lostAfter > 0;
		}

		long repliedBeforeFirstLoss() {
			return this.loss.repliedBefore;
		}

		double repliesPerSecondAfterFirstLoss() {
			return this.loss.repliedAfter / Math.max((this.ended - this.loss.stoppedAt) / 1e9, 1e-9);
		}

	}

}
