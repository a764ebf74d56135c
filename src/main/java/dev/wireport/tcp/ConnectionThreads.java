package dev.wireport.tcp;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.boot.system.JavaVersion;
import org.springframework.core.task.VirtualThreadTaskExecutor;

/**
 * What threads serve the TCP connections ({@code wireport.tcp.connection-threads}): a few
 * event loops shared by every connection, or a thread of its own for each connection on a
 * blocking socket. The choice trades throughput against memory and latency
 * (docs/performance.md).
 */
public enum ConnectionThreads {

	/**
	 * One event loop per processor and listener serves all of the listener's connections:
	 * no thread per connection, no thread wake-up per message. The fastest choice under
	 * many busy connections, and the leanest for many idle ones.
	 */
	EVENT_LOOP,

	/**
	 * A platform thread per connection: the kernel wakes it straight from its blocking
	 * read, a context switch per message; each connection costs a kernel thread.
	 */
	PLATFORM,

	/**
	 * A virtual thread per connection (Java 21+): a waiting connection costs a few KiB
	 * instead of a kernel thread, but each message is handed from the JDK's poller to a
	 * carrier thread before it is read.
	 */
	VIRTUAL;

	/**
	 * Stack size of platform connection threads: the default 1 MiB is waste for a loop
	 * that reads a frame and writes a reply.
	 */
	private static final long PLATFORM_THREAD_STACK = 256 * 1024;

	/**
	 * Whether this JVM can run this kind of thread.
	 * @return {@code null} if it can, or why not
	 */
	String unsupportedReason() {
		if (this == VIRTUAL && !JavaVersion.getJavaVersion().isEqualOrNewerThan(JavaVersion.TWENTY_ONE)) {
			return "virtual threads need Java 21 or newer, this is Java " + Runtime.version().feature();
		}
		return null;
	}

	/**
	 * An executor that starts one thread of this kind per task: a virtual thread for
	 * {@link #VIRTUAL}, a platform thread otherwise (an event loop's accepting thread).
	 * @param prefix the threads' name prefix
	 * @return the executor
	 */
	Executor executor(String prefix) {
		if (this == VIRTUAL) {
			return new VirtualThreadTaskExecutor(prefix);
		}
		AtomicInteger count = new AtomicInteger();
		return (task) -> {
			Thread thread = new Thread(null, task, prefix + count.incrementAndGet(), PLATFORM_THREAD_STACK);
			thread.setDaemon(true);
			thread.start();
		};
	}

}
