package dev.wireport.observability;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.wireport.WireportApplication;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One property switches the log to JSON, and each TCP line carries its listener and
 * connection as fields. The service runs as a child process: the logging set-up is global
 * to a JVM and must not leak into other tests.
 */
class StructuredLoggingTest {

	private static final Pattern LISTENING = Pattern.compile("TCP listener 'framed' listening on 0\\.0\\.0\\.0:(\\d+)");

	@Test
	void tcpLinesCarryListenerAndConnectionAsJsonFields() throws Exception {
		Process service = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
				System.getProperty("java.class.path"), WireportApplication.class.getName(),
				"--logging.structured.format.console=ecs", "--spring.main.web-application-type=none",
				"--wireport.tcp.listeners.seed.port=0", "--wireport.tcp.listeners.framed.port=0",
				"--wireport.udp.listeners.seed.port=0")
			.redirectErrorStream(true)
			.start();
		// Bounds every wait below: a stopped child ends its output, and the reads with
		// it.
		CompletableFuture.delayedExecutor(60, TimeUnit.SECONDS).execute(service::destroyForcibly);
		try (BufferedReader log = new BufferedReader(
				new InputStreamReader(service.getInputStream(), StandardCharsets.UTF_8))) {
			int port = Integer.parseInt(awaitLine(log, LISTENING).group(1));
			try (Socket socket = new Socket("127.0.0.1", port)) {
				socket.setSoTimeout(5000);
				socket.getOutputStream().write("structured\n".getBytes(StandardCharsets.US_ASCII));
				assertThat(socket.getInputStream().readNBytes(25)).hasSize(25);
			}
			String line = awaitLine(log, Pattern.compile(".*payload=\\\\\"structured\\\\\".*")).group();

			assertThat(line).startsWith("{")
				.contains("\"listener\":\"framed\"")
				.containsPattern("\"connection\":\"127\\.0\\.0\\.1:\\d+:\\d+:");
		}
		finally {
			service.destroy();
			assertThat(service.waitFor(30, TimeUnit.SECONDS)).isTrue();
		}
	}

	/**
	 * Reads log lines until one matches.
	 */
	private static Matcher awaitLine(BufferedReader log, Pattern pattern) throws IOException {
		String line;
		List<String> seen = new ArrayList<>();
		while ((line = log.readLine()) != null) {
			Matcher matcher = pattern.matcher(line);
			if (matcher.find()) {
				return matcher;
			}
			seen.add(line);
		}
		throw new AssertionError("No log line matched " + pattern + " in " + seen);
	}

}
