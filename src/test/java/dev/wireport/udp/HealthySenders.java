package dev.wireport.udp;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.wireport.netns.Answers;
import org.HdrHistogram.Histogram;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Well-behaved UDP senders that load a listener while a test makes a fault: each sends a
 * datagram over 127.0.0.1 and waits for its reply (5 s at most) before the next, until
 * stopped (or 1,000,000 datagrams or 60 s each, whichever first).
 */
final class HealthySenders implements AutoCloseable {

	private static final int MAX_DATAGRAMS = 1_000_000;

	private static final long MAX_NANOS = TimeUnit.SECONDS.toNanos(60);

	private final AtomicBoolean stop = new AtomicBoolean();

	private final ExecutorService threads;

	private final List<Future<Answers>> tallies = new ArrayList<>();

	private final AtomicInteger answeredSoFar = new AtomicInteger();

	HealthySenders(int port, int senders, byte[] ack) {
		this.threads = Executors.newFixedThreadPool(senders);
		for (int i = 0; i < senders; i++) {
			this.tallies.add(this.threads.submit(() -> run(port, ack)));
		}
	}

	private Answers run(int port, byte[] ack) throws IOException {
		Histogram latencies = new Histogram(3);
		int answered = 0;
		int wrong = 0;
		long started = System.nanoTime();
		try (DatagramSocket socket = new DatagramSocket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port));
			socket.setSoTimeout(5000);
			DatagramPacket reply = new DatagramPacket(new byte[1024], 1024);
			while (!this.stop.get() && answered < MAX_DATAGRAMS && System.nanoTime() - started < MAX_NANOS) {
				byte[] message = ("healthy-" + answered).getBytes(StandardCharsets.US_ASCII);
				long sent = System.nanoTime();
				socket.send(new DatagramPacket(message, message.length));
				socket.receive(reply);
				latencies.recordValue(System.nanoTime() - sent);
				answered++;
				this.answeredSoFar.incrementAndGet();
				if (!Arrays.equals(Arrays.copyOf(reply.getData(), reply.getLength()), ack)) {
					wrong++;
				}
			}
		}
		return new Answers(answered, wrong, latencies);
	}

	/**
	 * Replies received so far, by every sender.
	 * @return how many
	 */
	int answered() {
		return this.answeredSoFar.get();
	}

	/**
	 * Stops the senders and checks that every datagram of theirs was answered rightly: a
	 * reply that does not come within 5 s fails its sender.
	 * @return what they saw
	 * @throws Exception if a sender failed
	 */
	Answers stopAndCheck() throws Exception {
		this.stop.set(true);
		Answers total = Answers.none();
		for (Future<Answers> tally : this.tallies) {
			total = total.plus(tally.get(30, TimeUnit.SECONDS));
		}
		assertThat(total.answered()).as("healthy senders' answers").isPositive();
		assertThat(total.wrong()).as("healthy senders' wrong answers").isZero();
		return total;
	}

	@Override
	public void close() {
		this.stop.set(true);
		this.threads.shutdownNow();
	}

}
