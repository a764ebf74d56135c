package dev.wireport.payload;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.slf4j.Logger;
import org.slf4j.event.Level;
import org.slf4j.spi.LoggingEventBuilder;

import org.springframework.boot.logging.LogLevel;

/**
 * The per-message log line of one listener: its level, and a limit on lines per second.
 * The seed prints every message, which is what a user trying wireport wants to see; a
 * client flooding a listener would make that log the service's main cost (a console line
 * takes longer than answering the message), so beyond the limit messages are only
 * counted, and the count is logged once the next second begins. Past the limit, deciding
 * costs a clock read, an atomic read and a striped counter's increment; the logger's
 * level is asked only for the lines the limit lets through.
 */
public final class MessageLog {

	/** How much of a payload a log line shows. */
	public static final int PREVIEW_BYTES = 96;

	private static final long SECOND = 1_000_000_000L;

	private final Logger logger;

	private final Level level;

	private final int linesPerSecond;

	private final String subject;

	private final AtomicLong second = new AtomicLong(System.nanoTime() / SECOND);

	private final AtomicInteger lines = new AtomicInteger();

	private final LongAdder skipped = new LongAdder();

	/**
	 * A listener's message log.
	 * @param logger where the lines go
	 * @param level the configured level; {@code off} logs nothing
	 * @param linesPerSecond the most lines per second, 0 for no limit
	 * @param subject what the lines are about, e.g. {@code listener=seed messages}, for
	 * the line that counts those not logged
	 */
	public MessageLog(Logger logger, LogLevel level, int linesPerSecond, String subject) {
		this.logger = logger;
		this.level = slf4jLevel(level);
		this.linesPerSecond = linesPerSecond;
		this.subject = subject;
	}

	/**
	 * Whether the current message gets its line. Call once per message.
	 * @return {@code true} to log it through {@link #line()}
	 */
	public boolean admit() {
		if (this.level == null) {
			return false;
		}
		if (this.linesPerSecond == 0) {
			return this.logger.isEnabledForLevel(this.level);
		}
		long now = System.nanoTime() / SECOND;
		long current = this.second.get();
		if (now != current && this.second.compareAndSet(current, now)) {
			this.lines.set(0);
			long notLogged = this.skipped.sumThenReset();
			if (notLogged > 0) {
				line().log("{}: {} not logged (log-rate {} lines per second)", this.subject, notLogged,
						this.linesPerSecond);
			}
		}
		// Read first: past the limit a flood costs no contended write. The logger's own
		// level is asked only for the lines the limit lets through.
		if (this.lines.get() < this.linesPerSecond && this.lines.incrementAndGet() <= this.linesPerSecond) {
			return this.logger.isEnabledForLevel(this.level);
		}
		this.skipped.increment();
		return false;
	}

	/**
	 * A line at the configured level; only after {@link #admit()} said yes.
	 * @return the event builder
	 */
	public LoggingEventBuilder line() {
		return this.logger.atLevel(this.level);
	}

	private static Level slf4jLevel(LogLevel level) {
		return switch (level) {
			case TRACE -> Level.TRACE;
			case DEBUG -> Level.DEBUG;
			case INFO -> Level.INFO;
			case WARN -> Level.WARN;
			case ERROR, FATAL -> Level.ERROR;
			case OFF -> null;
		};
	}

}
