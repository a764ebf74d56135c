package dev.wireport.payload;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import org.springframework.boot.logging.LogLevel;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.awaitility.Awaitility.await;

class MessageLogTest {

	private final Logger logger = (Logger) LoggerFactory.getLogger(MessageLogTest.class);

	private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

	private final MessageLogWriter writer = new MessageLogWriter();

	@BeforeEach
	void capture() {
		this.logger.setLevel(Level.INFO);
		this.appender.start();
		this.logger.addAppender(this.appender);
		this.writer.start();
	}

	@AfterEach
	void release() {
		this.writer.stop();
		this.logger.detachAppender(this.appender);
	}

	private List<String> lines() {
		// The writer thread appends while the test reads; the appender locks itself.
		synchronized (this.appender) {
			return this.appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
		}
	}

	@Test
	void linesBeyondTheRateAreCountedAndTheCountIsLoggedTheNextSecond() {
		MessageLog log = new MessageLog(this.logger, LogLevel.INFO, 3, "listener=t messages");
		// Far more than a second's worth is unlikely to span three seconds: at most one
		// window change during the burst, so at most 6 get through.
		long admitted = IntStream.range(0, 1000).filter((i) -> log.admit()).count();
		assertThat(admitted).isBetween(3L, 6L);

		// Refused for the rest of this second; the first call in the next one is
		// admitted, after the count of those refused is logged.
		await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(20)).until(log::admit);
		await().atMost(Duration.ofSeconds(5)).until(() -> !lines().isEmpty());
		assertThat(lines())
			.allMatch((line) -> line.matches("listener=t messages: \\d+ not logged \\(log-rate 3 lines per second\\)"));
	}

	@Test
	void theCountOfAFloodsLastSecondIsLoggedWithoutAnotherMessage() {
		MessageLog log = new MessageLog(this.logger, LogLevel.INFO, 2, "listener=t warnings");
		long refused = IntStream.range(0, 1000).filter((i) -> !log.admit()).count();

		// Nothing more is asked of the log: the writer thread logs the count of every
		// second that ended (one, or two if the burst spanned them).
		await().atMost(Duration.ofSeconds(5))
			.until(() -> LogLines.counted(String.join("\n", lines()), "listener=t warnings") == refused);
		assertThat(refused).isPositive();
	}

	@Test
	void linesAreWrittenByTheWriterThreadInOrderAndFlushWaitsForThem() throws InterruptedException {
		MessageLog log = new MessageLog(this.logger, LogLevel.INFO, 0, "x");
		IntStream.range(0, 100).forEach((i) -> log.log("line {}", i));

		assertThat(MessageLogWriter.flush(Duration.ofSeconds(10))).isTrue();
		assertThat(lines()).containsExactlyElementsOf(IntStream.range(0, 100).mapToObj((i) -> "line " + i).toList());
		synchronized (this.appender) {
			assertThat(this.appender.list).extracting(ILoggingEvent::getThreadName).containsOnly("message-log");
		}
	}

	@Test
	void theApplicationRunsTheWriterAndStoppingItWritesTheLinesStillQueued() {
		MessageLog log = new MessageLog(this.logger, LogLevel.INFO, 0, "x");
		try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext(
				MessageLogWriter.class)) {
			assertThat(context.getBean(MessageLogWriter.class).isRunning()).isTrue();
			IntStream.range(0, 1000).forEach((i) -> log.log("line {}", i));
		}
		// No waiting: the context's close returned only once they were written.
		assertThat(lines()).containsExactlyElementsOf(IntStream.range(0, 1000).mapToObj((i) -> "line " + i).toList());
	}

	@Test
	void anOutputThatStopsTakingLinesNeverHoldsTheCallerAndTheLostLinesAreCounted() throws Exception {
		MessageLog log = new MessageLog(this.logger, LogLevel.INFO, 0, "listener=t messages");
		try (StuckOutput stuck = StuckOutput.attachTo(this.logger)) {
			// Far more than the queue holds: with a blocking log this would never return.
			assertTimeoutPreemptively(Duration.ofSeconds(30),
					() -> IntStream.range(0, 10_000).filter((i) -> log.admit()).forEach((i) -> log.log("line {}", i)));
			// A stopping service waits for the lines only as long as it is told to.
			assertThat(MessageLogWriter.flush(Duration.ofMillis(100))).isFalse();
		}
		// The next second's first message reports what the full queue turned away.
		await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20)).until(() -> {
			log.admit();
			return lines().stream().anyMatch((line) -> line.contains("not keeping up"));
		});
		String report = lines().stream().filter((line) -> line.contains("not keeping up")).findFirst().orElseThrow();
		Matcher count = Pattern
			.compile("listener=t messages: (\\d+) not logged \\(the log's output was not keeping up\\)")
			.matcher(report);
		assertThat(count.matches()).as(report).isTrue();
		long written = lines().stream().filter((line) -> line.startsWith("line ")).count();
		assertThat(Long.parseLong(count.group(1)) + written).isEqualTo(10_000);
	}

	@Test
	void rateZeroLogsEveryMessage() {
		MessageLog log = new MessageLog(this.logger, LogLevel.INFO, 0, "listener=t messages");
		assertThat(IntStream.range(0, 10_000).allMatch((i) -> log.admit())).isTrue();
	}

	@Test
	void offOrBelowTheLoggersLevelLogsNothing() {
		assertThat(new MessageLog(this.logger, LogLevel.OFF, 0, "x").admit()).isFalse();
		assertThat(new MessageLog(this.logger, LogLevel.DEBUG, 0, "x").admit()).isFalse();
		assertThat(new MessageLog(this.logger, LogLevel.WARN, 0, "x").admit()).isTrue();
	}

}
