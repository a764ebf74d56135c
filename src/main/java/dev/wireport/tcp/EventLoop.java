package dev.wireport.tcp;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread and one selector serving many connections: it reads whatever the ready
 * sockets hold, decodes and answers every whole frame in it, and writes the replies
 * without waiting. Under load one {@code select} reports many ready sockets, so a message
 * costs its {@code read} and {@code write} and no thread wake-up of its own, where a
 * thread per connection costs the kernel a context switch per message
 * (docs/performance.md).
 *
 * <p>
 * Other threads hand work to the loop with {@link #execute(Runnable)}; everything a
 * {@link LoopConnection} does with its socket and buffers happens on this thread.
 */
final class EventLoop implements Runnable {

	private static final Logger logger = LoggerFactory.getLogger(EventLoop.class);

	private final Selector selector;

	private final Thread thread;

	private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();

	/**
	 * Connections to close at a deadline, in deadline order (every delay is the same).
	 */
	private final ArrayDeque<Deadline> deadlines = new ArrayDeque<>();

	private volatile boolean running = true;

	EventLoop(String name) throws IOException {
		this.selector = Selector.open();
		this.thread = new Thread(this, name);
		this.thread.setDaemon(true);
	}

	void start() {
		this.thread.start();
	}

	boolean inLoop() {
		return Thread.currentThread() == this.thread;
	}

	/**
	 * Runs a task on the loop's thread, soon.
	 * @param task the task
	 */
	void execute(Runnable task) {
		this.tasks.add(task);
		this.selector.wakeup();
	}

	/**
	 * Registers a connection's channel for reading; on the loop's thread only.
	 */
	SelectionKey register(SocketChannel channel, LoopConnection connection) throws ClosedChannelException {
		return channel.register(this.selector, SelectionKey.OP_READ, connection);
	}

	/**
	 * Closes a connection after a delay unless it closed before; on the loop's thread
	 * only, and always with the same delay, so that the queue stays in deadline order.
	 */
	void closeAfter(LoopConnection connection, long delayNanos) {
		this.deadlines.add(new Deadline(connection, System.nanoTime() + delayNanos));
	}

	@Override
	public void run() {
		while (this.running) {
			try {
				this.selector.select(this::ready, selectTimeoutMillis());
				runTasks();
				closeExpired();
			}
			catch (IOException | RuntimeException ex) {
				// One connection's failure is handled where it happens; this is the
				// selector's own, and the loop must go on serving the others.
				logger.error("Event loop {} failed; continuing", this.thread.getName(), ex);
			}
		}
		for (SelectionKey key : new ArrayList<>(this.selector.keys())) {
			((LoopConnection) key.attachment()).close();
		}
		try {
			this.selector.close();
		}
		catch (IOException ex) {
			logger.debug("Closing the selector of {} failed: {}", this.thread.getName(), ex.getMessage());
		}
	}

	private void ready(SelectionKey key) {
		((LoopConnection) key.attachment()).ready(key);
	}

	private void runTasks() {
		Runnable task;
		while ((task = this.tasks.poll()) != null) {
			task.run();
		}
	}

	private long selectTimeoutMillis() {
		Deadline first = this.deadlines.peek();
		if (first == null) {
			return 0;
		}
		long millis = TimeUnit.NANOSECONDS.toMillis(first.at() - System.nanoTime());
		// select(0) waits for ever: a deadline already due still needs a look.
		return Math.max(1, millis);
	}

	private void closeExpired() {
		long now = System.nanoTime();
		while (!this.deadlines.isEmpty() && now - this.deadlines.peek().at() >= 0) {
			this.deadlines.poll().connection().close();
		}
	}

	/**
	 * Stops the loop and closes every connection it serves.
	 */
	void close() {
		this.running = false;
		this.selector.wakeup();
	}

	private record Deadline(LoopConnection connection, long at) {
	}

}
