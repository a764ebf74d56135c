package dev.wireport.tcp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import dev.wireport.framing.FrameCodec;
import dev.wireport.framing.Framing;
import dev.wireport.netns.Answers;
import org.HdrHistogram.Histogram;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Well-behaved clients that load a listener of {@code lf} framing while a test makes a
 * fault: each sends numbered messages over 127.0.0.1, one at a time, and checks every
 * reply, until stopped (or 2,000,000 messages or 60 s each, whichever first).
 */
final class HealthyClients implements AutoCloseable {

	private static final FrameCodec LF = Framing.LF.codec(1024);

	private static final int MAX_MESSAGES = 2_000_000;

	private static final long MAX_NANOS = TimeUnit.SECONDS.toNanos(60);

	private final AtomicBoolean stop = new AtomicBoolean();

	private final AtomicLong answeredSoFar = new AtomicLong();

	private final ExecutorService threads;

	private final List<Future<Answers>> tallies = new ArrayList<>();

	private HealthyClients(int port, int clients, byte[] ack) {
		this.threads = Executors.newFixedThreadPool(clients);
		for (int i = 0; i < clients; i++) {
			int client = i;
			this.tallies.add(this.threads.submit(() -> run(port, client, ack)));
		}
	}

	/**
	 * Starts the clients.
	 * @param port the listener's port
	 * @param clients how many
	 * @param ack the listener's acknowledgement, or {@code null} if it echoes
	 * @return the running clients
	 */
	static HealthyClients start(int port, int clients, byte[] ack) {
		return new HealthyClients(port, clients, ack);
	}

	private Answers run(int port, int client, byte[] ack) throws IOException {
		Histogram latencies = new Histogram(3);
		int answered = 0;
		int wrong = 0;
		long started = System.nanoTime();
		try (WireClient wire = new WireClient(port)) {
			while (!this.stop.get() && answered < MAX_MESSAGES && System.nanoTime() - started < MAX_NANOS) {
				byte[] message = ("healthy-" + client + "-" + answered).getBytes(StandardCharsets.US_ASCII);
				long sent = System.nanoTime();
				wire.send(LF, message);
				byte[] reply = wire.receive(LF);
				latencies.recordValue(System.nanoTime() - sent);
				answered++;
				this.answeredSoFar.incrementAndGet();
				if (!Arrays.equals(reply, (ack != null) ? ack : message)) {
					wrong++;
				}
			}
		}
		return new Answers(answered, wrong, latencies);
	}

	/**
	 * Answers the clients have had so far, right or wrong; for waiting on progress.
	 * @return how many
	 */
	long answered() {
		return this.answeredSoFar.get();
	}

	/**
	 * Stops the clients and checks that every message of theirs was answered rightly: a
	 * reply that does not come within the read timeout fails its client.
	 * @return what they saw
	 * @throws Exception if a client failed (a read timed out, a connection closed)
	 */
	Answers stopAndCheck() throws Exception {
		this.stop.set(true);
		Answers total = Answers.none();
		for (Future<Answers> tally : this.tallies) {
			total = total.plus(tally.get(30, TimeUnit.SECONDS));
		}
		assertThat(total.answered()).as("healthy clients' answers").isPositive();
		assertThat(total.wrong()).as("healthy clients' wrong answers").isZero();
		return total;
	}

	@Override
	public void close() {
		this.stop.set(true);
		this.threads.shutdownNow();
	}

}
