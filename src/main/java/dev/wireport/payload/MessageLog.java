package dev.wireport.payload;

import org.slf4j.event.Level;

import org.springframework.boot.logging.LogLevel;

/**
 * The per-message log line's level, as configured per listener.
 */
public final class MessageLog {

	/** How much of a payload a log line shows. */
	public static final int PREVIEW_BYTES = 96;

	private MessageLog() {
	}

	/**
	 * The SLF4J level for a configured level.
	 * @param level the configured level
	 * @return the SLF4J level, {@code null} for {@code off}
	 */
	public static Level level(LogLevel level) {
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
