package dev.wireport.payload;

import java.util.regex.Pattern;

/**
 * Reads a captured log for the lines of one kind that a {@link MessageLog} let through,
 * and for those it counted in its "not logged" lines instead.
 */
public final class LogLines {

	private LogLines() {
	}

	/**
	 * How many lines of one kind the log wrote out.
	 * @param log the captured output
	 * @param line a pattern of the line
	 * @return how many times it occurs
	 */
	public static long written(String log, String line) {
		return Pattern.compile(line).matcher(log).results().count();
	}

	/**
	 * How many lines of one kind the log wrote out or counted.
	 * @param log the captured output
	 * @param line a pattern of the line
	 * @param subject the subject of the log's "not logged" lines, e.g.
	 * {@code listener=seed warnings}
	 * @return the lines written plus those counted
	 */
	public static long writtenOrCounted(String log, String line, String subject) {
		return written(log, line) + counted(log, subject);
	}

	/**
	 * How many lines the log's "not logged" lines counted.
	 * @param log the captured output
	 * @param subject the subject of those lines, e.g. {@code listener=seed warnings}
	 * @return the sum of their counts
	 */
	public static long counted(String log, String subject) {
		return Pattern.compile(Pattern.quote(subject) + ": (\\d+) not logged")
			.matcher(log)
			.results()
			.mapToLong((result) -> Long.parseLong(result.group(1)))
			.sum();
	}

}
