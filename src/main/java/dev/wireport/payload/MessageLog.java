package dev.wireport.payload;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.slf4j.Logger;
import org.slf4j.MDC;
import org.slf4j.event.Level;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.logging.LogLevel;

/**
 * The per-message log line of one listener: its level, a limit on lines per second, and a
 * writer thread so that logging never holds the thread that handles the message. The
 * warnings a listener's clients can cause at will (refused connections, rejected frames)
 * go through one of their own, for the same reasons.
 * <p>
 * The seed prints every message, which is what a user trying wireport wants to see; a
 * client flooding a listener would make that log the service's main cost (a console line
 * takes longer than answering the message), so beyond the limit messages are only
 * counted, and the count is logged once the next second begins (by the next message, or
 * by the writer thread if none comes). Past the limit, deciding costs a clock read, an
 * atomic read and a striped counter's increment; the logger's level is asked only for the
 * lines the limit lets through.
 * <p>
 * The lines let through are queued for one writer thread shared by every listener
 * ({@link MessageLogWriter}, started and stopped with the application). A console or pipe
 * that stops taking output (a stuck log collector) then fills the queue instead of
 * stalling a connection or the UDP receiving loop; a line that finds the queue full is
 * counted, and the count is logged like those over the limit. The caller's MDC goes with
 * each line, so a TCP line still carries its listener and connection.
 */
public final class MessageLog {

	/** How much of a payload a log line shows. */
	public static final int PREVIEW_BYTES = 96;

	private static final long SECOND = 1_000L;

	private final Logger logger;

	private final Level level;

	private final int linesPerSecond;

	private final String subject;

	private final AtomicLong second = new AtomicLong(System.currentTimeMillis() / SECOND);

	private final AtomicInteger lines = new AtomicInteger();

	private final LongAdder overLimit = new LongAdder();

	private final LongAdder writerBehind = new LongAdder();

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
		MessageLogWriter.register(this);
	}

	/**
	 * The log of the warnings a listener's clients can cause at will (refused
	 * connections, rejected frames): at {@code warn}, at most the listener's log-rate
	 * lines a second, the rest counted in {@code listener=<name> warnings: … not logged}.
	 * @param logger where the lines go
	 * @param listener the listener's name
	 * @param linesPerSecond the listener's log-rate, 0 for no limit
	 * @return the log
	 */
	public static MessageLog warnings(Logger logger, String listener, int linesPerSecond) {
		return new MessageLog(logger, LogLevel.WARN, linesPerSecond, "listener=" + listener + " warnings");
	}

	/**
	 * Whether the current message gets its line. Call once per message.
	 * @return {@code true} to log it through {@link #log(String, Object...)}
	 */
	public boolean admit() {
		return admit(System.currentTimeMillis());
	}

	/**
	 * Whether a message gets its line, by the time it was received: for messages that
	 * carry that time, which spares a clock read per message (as much as a tenth of a
	 * pipelined TCP message's handling).
	 * @param receivedAt when the message was received, in milliseconds since the epoch
	 * @return {@code true} to log it through {@link #log(String, Object...)}
	 */
	public boolean admit(long receivedAt) {
		if (this.level == null) {
			return false;
		}
		secondsPassed(receivedAt);
		if (this.linesPerSecond == 0) {
			return this.logger.isEnabledForLevel(this.level);
		}
		// Read first: past the limit a flood costs no contended write. The logger's own
		// level is asked only for the lines the limit lets through.
		if (this.lines.get() < this.linesPerSecond && this.lines.incrementAndGet() <= this.linesPerSecond) {
			return this.logger.isEnabledForLevel(this.level);
		}
		this.overLimit.increment();
		return false;
	}

	/**
	 * Queues a line at the configured level for the writer thread; only after
	 * {@link #admit()} said yes. Never waits: with the queue full, the line is counted.
	 * @param format the SLF4J format
	 * @param arguments its arguments, already rendered or immutable
	 */
	public void log(String format, Object... arguments) {
		// The caller's MDC (a TCP connection's listener and id) travels with the line.
		if (!MessageLogWriter.offer(new Line(this.logger, this.level, format, arguments, MDC.getCopyOfContextMap()))) {
			this.writerBehind.increment();
		}
	}

	/**
	 * Logs a line if the limit lets it through: {@link #admit()} and
	 * {@link #log(String, Object...)} in one, for lines whose arguments cost nothing to
	 * make.
	 * @param format the SLF4J format
	 * @param arguments its arguments, already rendered or immutable
	 */
	public void logIfAdmitted(String format, Object... arguments) {
		if (admit()) {
			log(format, arguments);
		}
	}

	/**
	 * Starts a new second if the time is past the current one, and logs the count of the
	 * lines not logged in the second that ended. Called with each message, and by the
	 * writer thread once a second, so that the count of a flood's last second is logged
	 * even when nothing follows it.
	 * @param now the time, in milliseconds since the epoch
	 */
	void secondsPassed(long now) {
		long second = now / SECOND;
		long current = this.second.get();
		if (second != current && this.second.compareAndSet(current, second)) {
			this.lines.set(0);
			reportNotLogged();
		}
	}

	private void reportNotLogged() {
		long over = this.overLimit.sumThenReset();
		if (over > 0) {
			log("{}: {} not logged (log-rate {} lines per second)", this.subject, over, this.linesPerSecond);
		}
		long behind = this.writerBehind.sumThenReset();
		if (behind > 0) {
			log("{}: {} not logged (the log's output was not keeping up)", this.subject, behind);
		}
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

	private record Line(Logger logger, Level level, String format, Object[] arguments,
			@Nullable Map<String, String> context) implements Runnable {

		@Override
		public void run() {
			if (this.context != null) {
				MDC.setContextMap(this.context);
			}
			try {
				this.logger.atLevel(this.level).log(this.format, this.arguments);
			}
			finally {
				MDC.clear();
			}
		}

	}

}
