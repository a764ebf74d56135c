package dev.wireport.payload;

import java.util.concurrent.CountDownLatch;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;

/**
 * A log output that stops taking lines, like a console whose reader has stalled: every
 * append waits until {@link #close()}. Attached to a logger for the life of a
 * try-with-resources block.
 */
public final class StuckOutput extends AppenderBase<ILoggingEvent> implements AutoCloseable {

	private final CountDownLatch released = new CountDownLatch(1);

	private final Logger logger;

	private StuckOutput(Logger logger) {
		this.logger = logger;
	}

	/**
	 * Attaches a stuck output to a logger.
	 * @param logger the logger whose lines it takes
	 * @return the attached output
	 */
	public static StuckOutput attachTo(org.slf4j.Logger logger) {
		StuckOutput output = new StuckOutput((Logger) logger);
		output.start();
		output.logger.addAppender(output);
		return output;
	}

	@Override
	protected void append(ILoggingEvent event) {
		try {
			this.released.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** Lets the output take lines again and detaches it. */
	@Override
	public void close() {
		this.released.countDown();
		this.logger.detachAppender(this);
	}

}
