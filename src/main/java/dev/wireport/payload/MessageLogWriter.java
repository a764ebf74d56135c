package dev.wireport.payload;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The thread that writes every {@link MessageLog}'s lines, started and stopped with the
 * application: it starts before anything that logs messages (the lowest phase) and stops
 * after all of them (the TCP and UDP listeners, the web server), writing the lines still
 * queued before it ends, so the lines of the last messages answered are not lost. Once a
 * second it also has every log count the lines it did not log in a second that ended, so
 * that the count of a flood's last second is logged when nothing follows the flood.
 * <p>
 * The queue is shared by the whole process, as a logging system's output is: listeners
 * create their {@link MessageLog} themselves, without a reference to this bean. One
 * thread serves every running application context in the process (tests run several); it
 * ends when the last of them stops. Lines queued while no context runs wait for the next
 * one, or are counted as lost once the queue is full.
 */
@Component
public final class MessageLogWriter implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(MessageLogWriter.class);

	/**
	 * Lines waiting for the writer; at the default limits, seconds of every listener's.
	 */
	private static final int QUEUED_LINES = 4096;

	/** Bounds the wait at shutdown for an output that has stopped taking lines. */
	private static final Duration FLUSH_TIMEOUT = Duration.ofSeconds(5);

	private static final BlockingQueue<Runnable> queue = new ArrayBlockingQueue<>(QUEUED_LINES);

	/** How often the writer has every log count what a second that ended did not log. */
	private static final long SECOND_NANOS = TimeUnit.SECONDS.toNanos(1);

	/**
	 * Every log in the process, held weakly: the logs of a stopped application context go
	 * with it.
	 */
	private static final Set<MessageLog> logs = Collections
		.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

	/** Guards {@link #thread} and {@link #users}. */
	private static final Object lock = new Object();

	private static Writer thread;

	private static int users;

	private volatile boolean running;

	/**
	 * Queues a line for the writer thread; never waits.
	 * @param line writes the line
	 * @return {@code false} if the queue was full and the line is lost
	 */
	static boolean offer(Runnable line) {
		return queue.offer(line);
	}

	/**
	 * Has the writer thread count, once a second, what the log did not log in a second
	 * that ended.
	 * @param log a new log
	 */
	static void register(MessageLog log) {
		logs.add(log);
	}

	private static void secondsPassed() {
		long now = System.currentTimeMillis();
		List<MessageLog> registered;
		synchronized (logs) {
			registered = new ArrayList<>(logs);
		}
		registered.forEach((log) -> log.secondsPassed(now));
	}

	@Override
	public void start() {
		synchronized (lock) {
			if (users++ == 0) {
				thread = new Writer();
				thread.start();
			}
		}
		this.running = true;
	}

	/**
	 * Writes the lines queued so far; the last context to stop also ends the writer
	 * thread once they are written.
	 */
	@Override
	public void stop() {
		this.running = false;
		synchronized (lock) {
			try {
				boolean written;
				if (--users > 0) {
					written = flush(FLUSH_TIMEOUT);
				}
				else {
					written = end(thread);
					thread = null;
				}
				if (!written) {
					logger.warn("Per-message log lines still unwritten after {}ms; the log's output is not keeping up",
							FLUSH_TIMEOUT.toMillis());
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	private static boolean end(Writer writer) throws InterruptedException {
		long deadline = System.nanoTime() + FLUSH_TIMEOUT.toNanos();
		// Lines are written in order: the thread ends after every line queued before.
		if (queue.offer(writer.end, FLUSH_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS)) {
			writer.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
		}
		if (writer.isAlive()) {
			// Held by an output that takes nothing: a daemon thread, it does not keep
			// the process alive.
			writer.interrupt();
			return false;
		}
		return true;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/** Starts before, and stops after, everything that logs messages. */
	@Override
	public int getPhase() {
		return Integer.MIN_VALUE;
	}

	/**
	 * Waits until every line queued so far is written.
	 * @param timeout the longest wait, for an output that takes nothing
	 * @return whether every line was written in time
	 * @throws InterruptedException if interrupted while waiting
	 */
	static boolean flush(Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		CountDownLatch written = new CountDownLatch(1);
		// Lines are written in order: once this runs, every line before it is out.
		return queue.offer(written::countDown, timeout.toNanos(), TimeUnit.NANOSECONDS)
				&& written.await(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
	}

	/**
	 * Writes the queued lines in order until it takes its own end marker (another
	 * writer's, left by one that had to give up on a stuck output, does nothing).
	 */
	private static final class Writer extends Thread {

		private final Runnable end = () -> {
		};

		Writer() {
			super("message-log");
			setDaemon(true);
		}

		@Override
		public void run() {
			try {
				long nextSecond = System.nanoTime() + SECOND_NANOS;
				for (;;) {
					Runnable line = queue.poll(Math.max(0, nextSecond - System.nanoTime()), TimeUnit.NANOSECONDS);
					if (line == this.end) {
						return;
					}
					if (line != null) {
						write(line);
					}
					if (System.nanoTime() - nextSecond >= 0) {
						secondsPassed();
						nextSecond = System.nanoTime() + SECOND_NANOS;
					}
				}
			}
			catch (InterruptedException ex) {
				// Stopping gave up waiting for the output; the lines left are lost.
				Thread.currentThread().interrupt();
			}
		}

		private static void write(Runnable line) {
			try {
				line.run();
			}
			catch (RuntimeException ex) {
				// One bad line (an argument whose toString fails) must not end every
				// listener's log.
				logger.warn("A message's log line was not written", ex);
			}
		}

	}

}
