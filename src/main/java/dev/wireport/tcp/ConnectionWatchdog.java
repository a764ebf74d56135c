package dev.wireport.tcp;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread that looks over every listener's connections a few times per timeout and
 * ends those past one: idle too long, a frame unfinished too long, a reply blocked too
 * long. The connections' sockets carry no timeout of their own: a read with a socket
 * timeout is a non-blocking read, a {@code poll} and another read, three system calls
 * where a blocking read makes one, for every message that finds nothing buffered
 * (measured: about 10 % more request/reply throughput without them). A blocking write has
 * no timeout at all (see {@link WatchedOutputStream}). A look costs a few field reads per
 * open connection.
 */
final class ConnectionWatchdog implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(ConnectionWatchdog.class);

	private static final long MIN_PERIOD_MILLIS = 50;

	private static final long MAX_PERIOD_MILLIS = 1000;

	private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor((task) -> {
		Thread thread = new Thread(task, "tcp-connection-watchdog");
		thread.setDaemon(true);
		return thread;
	});

	/**
	 * Watches a listener's connections, unless every one of its timeouts is 0 (never).
	 * @param connections the listener's connections
	 */
	void watch(ListenerConnections connections) {
		TcpListenerSettings settings = connections.settings();
		long shortest = Stream.of(settings.idleTimeout(), settings.frameTimeout(), settings.writeTimeout())
			.filter((timeout) -> !timeout.isZero())
			.mapToLong(Duration::toMillis)
			.min()
			.orElse(0);
		if (shortest == 0) {
			return;
		}
		// A quarter of the shortest timeout: a connection is ended at most 25 % late.
		long period = Math.max(MIN_PERIOD_MILLIS, Math.min(MAX_PERIOD_MILLIS, shortest / 4));
		this.scheduler.scheduleWithFixedDelay(() -> {
			try {
				connections.enforceTimeouts();
			}
			catch (RuntimeException ex) {
				// An exception would end the schedule: log it and keep watching.
				logger.error("Connection watchdog of TCP listener '{}' failed", connections.listenerName(), ex);
			}
		}, period, period, TimeUnit.MILLISECONDS);
	}

	@Override
	public void close() {
		this.scheduler.shutdownNow();
	}

}
