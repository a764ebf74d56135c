package dev.wireport.payload;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Writes out the per-message log lines still queued when the service stops. Beans are
 * destroyed after every lifecycle has stopped (the TCP and UDP listeners, the web
 * server), so the lines of the last messages they answered are written before the JVM
 * exits.
 */
@Component
class MessageLogShutdown implements DisposableBean {

	private static final Logger logger = LoggerFactory.getLogger(MessageLogShutdown.class);

	/** Bounds the wait for an output that has stopped taking lines. */
	private static final Duration FLUSH_TIMEOUT = Duration.ofSeconds(5);

	@Override
	public void destroy() throws InterruptedException {
		if (!MessageLog.flush(FLUSH_TIMEOUT)) {
			logger.warn("Per-message log lines still unwritten after {}ms; the log's output is not keeping up",
					FLUSH_TIMEOUT.toMillis());
		}
	}

}
