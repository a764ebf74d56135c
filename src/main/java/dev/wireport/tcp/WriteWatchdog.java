package dev.wireport.tcp;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread that looks over every listener's connections a few times per write timeout
 * and closes those whose reply has been blocked for longer: the only way to bound a
 * blocking socket write (see {@link WatchedOutputStream}). A look costs a read of one
 * field per open connection.
 */
final class WriteWatchdog implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(WriteWatchdog.class);

	private static final long MIN_PERIOD_MILLIS = 50;

	private static final long MAX_PERIOD_MILLIS = 1000;

	private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor((task) -> {
		Thread thread = new Thread(task, "tcp-write-watchdog");
		thread.setDaemon(true);
		return thread;
	});

	/**
	 * Watches a listener's connections, unless its write timeout is 0 (never).
	 * @param connections the listener's connections
	 */
	void watch(ListenerConnections connections) {
		Duration timeout = connections.settings().writeTimeout();
		if (timeout.isZero()) {
			return;
		}
		// A quarter of the timeout: a stalled write is closed at most 25 % late.
		long period = Math.max(MIN_PERIOD_MILLIS, Math.min(MAX_PERIOD_MILLIS, timeout.toMillis() / 4));
		this.scheduler.scheduleWithFixedDelay(() -> {
			try {
				connections.closeStalledWriters();
			}
			catch (RuntimeException ex) {
				// An exception would end the schedule: log it and keep watching.
				logger.error("Write watchdog of TCP listener '{}' failed", connections.listenerName(), ex);
			}
		}, period, period, TimeUnit.MILLISECONDS);
	}

	@Override
	public void close() {
		this.scheduler.shutdownNow();
	}

}
