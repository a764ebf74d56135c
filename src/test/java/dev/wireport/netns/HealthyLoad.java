package dev.wireport.netns;

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

import org.HdrHistogram.Histogram;
import org.jspecify.annotations.Nullable;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Well-behaved peers that load a listener while a test makes a fault: each asks one
 * numbered request at a time over 127.0.0.1 and checks its reply, until stopped (or its
 * message limit or 60 s, whichever first). The protocol is the caller's, as a
 * {@link Peer} per thread.
 */
public final class HealthyLoad implements AutoCloseable {

	private static final long MAX_NANOS = TimeUnit.SECONDS.toNanos(60);

	private final String who;

	private final AtomicBoolean stop = new AtomicBoolean();

	private final AtomicLong answeredSoFar = new AtomicLong();

	private final ExecutorService threads;

	private final List<Future<Answers>> tallies = new ArrayList<>();

	/**
	 * Starts the peers.
	 * @param who what they are called in assertion messages, e.g. {@code healthy clients}
	 * @param peers how many
	 * @param maxMessages the most requests each asks
	 * @param opener opens peer number {@code i}
	 * @param ack the expected reply, or {@code null} if the listener echoes
	 */
	public HealthyLoad(String who, int peers, int maxMessages, PeerOpener opener, byte @Nullable [] ack) {
		this.who = who;
		this.threads = Executors.newFixedThreadPool(peers);
		for (int i = 0; i < peers; i++) {
			int peer = i;
			this.tallies.add(this.threads.submit(() -> run(opener, peer, maxMessages, ack)));
		}
	}

	private Answers run(PeerOpener opener, int peer, int maxMessages, byte @Nullable [] ack) throws IOException {
		Histogram latencies = new Histogram(3);
		int answered = 0;
		int wrong = 0;
		long started = System.nanoTime();
		try (Peer connection = opener.open(peer)) {
			while (!this.stop.get() && answered < maxMessages && System.nanoTime() - started < MAX_NANOS) {
				byte[] message = ("healthy-" + peer + "-" + answered).getBytes(StandardCharsets.US_ASCII);
				long sent = System.nanoTime();
				byte[] reply = connection.ask(message);
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
	 * Answers the peers have had so far, right or wrong; for waiting on progress.
	 * @return how many
	 */
	public long answered() {
		return this.answeredSoFar.get();
	}

	/**
	 * Stops the peers and checks that every request of theirs was answered rightly: a
	 * reply that does not come within the peer's read timeout fails it.
	 * @return what they saw
	 * @throws Exception if a peer failed (a read timed out, a connection closed)
	 */
	public Answers stopAndCheck() throws Exception {
		this.stop.set(true);
		Answers total = Answers.none();
		for (Future<Answers> tally : this.tallies) {
			total = total.plus(tally.get(30, TimeUnit.SECONDS));
		}
		assertThat(total.answered()).as(this.who + "' answers").isPositive();
		assertThat(total.wrong()).as(this.who + "' wrong answers").isZero();
		return total;
	}

	@Override
	public void close() {
		this.stop.set(true);
		this.threads.shutdownNow();
	}

	/**
	 * One peer's way of asking: a request sent, its reply read.
	 */
	public interface Peer extends AutoCloseable {

		byte[] ask(byte[] request) throws IOException;

		@Override
		void close() throws IOException;

	}

	/**
	 * Opens the peer of one thread.
	 */
	@FunctionalInterface
	public interface PeerOpener {

		Peer open(int peer) throws IOException;

	}

}
