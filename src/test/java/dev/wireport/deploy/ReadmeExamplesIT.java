package dev.wireport.deploy;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Runs every console example of README.md and docs/http.md against the packaged jar and
 * compares what each command prints with what the page shows, so the pages cannot drift
 * from the service.
 *
 * <p>
 * How the pages are read:
 * <ul>
 * <li>A fenced block opened with {@code ```console} holds examples. A line starting with
 * {@code $ } is a command; the lines after it, up to the next {@code $ } line or the end
 * of the block, are exactly what it prints, standard output and standard error together,
 * as a terminal shows them. Output must end with a newline (or be empty): without one the
 * terminal would show the next prompt on the output's last line, so such an example ends
 * its command with {@code ; echo}.</li>
 * <li>{@code ...} in an output line stands for any text within that line (dates, figures,
 * counts that depend on how reads fall); a line that is {@code ...} alone stands for any
 * number of lines. Nothing else is left unchecked.</li>
 * <li>{@code ```sh} blocks are commands only (builds, starting the service, anything
 * interactive) and are not run; {@code ```text} blocks show output of commands that are
 * not run.</li>
 * <li>The service's default ports (HTTP 8080, management 8081, TCP {@code seed} 9000, TCP
 * {@code framed} 9080, UDP {@code seed} 8090) are replaced, in commands and output alike,
 * by the ports of the jar started here, free ones, so the test runs beside a service on
 * the defaults.</li>
 * <li>Each command runs with {@code bash -c} in the project's directory, no input,
 * {@code java} being the test's JVM, and must exit with 0 within
 * {@value #TIMEOUT_SECONDS} seconds. The tools the examples use are in {@link #TOOLS}:
 * when one is missing the test fails in CI ({@code CI} set; {@code .ci/run} installs
 * them) and is skipped elsewhere, naming the package.</li>
 * </ul>
 */
class ReadmeExamplesIT {

	private static final List<Path> PAGES = List.of(Path.of("README.md"), Path.of("docs", "http.md"));

	private static final long TIMEOUT_SECONDS = 60;

	/** Tools the examples use, with the Debian package that has each. */
	private static final Map<String, String> TOOLS = Map.of("nc", "netcat-openbsd", "curl", "curl");

	private static final Pattern DEFAULT_PORT = Pattern.compile("(?<!\\d)(8080|8081|9000|9080|8090)(?!\\d)");

	private static final String ANY = "...";

	private static PackagedJar service;

	private static final Map<String, String> ports = new LinkedHashMap<>();

	@BeforeAll
	static void start() throws Exception {
		requireTools();
		int http = PackagedJar.freePort();
		int management = PackagedJar.freePort();
		service = PackagedJar.start(List.of("--server.port=" + http, "--management.server.port=" + management,
				"--wireport.tcp.listeners.seed.port=0", "--wireport.tcp.listeners.framed.port=0",
				"--wireport.udp.listeners.seed.port=0"), Map.of());
		ports.put("8080", String.valueOf(http));
		ports.put("8081", String.valueOf(management));
		ports.put("9000", String.valueOf(service.tcpPort("seed")));
		ports.put("9080", String.valueOf(service.tcpPort("framed")));
		ports.put("8090", String.valueOf(service.udpPort("seed")));
	}

	@AfterAll
	static void stop() throws InterruptedException {
		if (service != null) {
			service.stop();
		}
	}

	private static void requireTools() throws Exception {
		List<String> missing = new ArrayList<>();
		for (Map.Entry<String, String> tool : TOOLS.entrySet()) {
			Process which = new ProcessBuilder("bash", "-c", "command -v " + tool.getKey()).start();
			if (!which.waitFor(10, TimeUnit.SECONDS) || which.exitValue() != 0) {
				missing.add(tool.getKey() + " (package " + tool.getValue() + ")");
			}
		}
		String message = "the documentation's examples need " + String.join(", ", missing);
		if (!missing.isEmpty() && System.getenv("CI") != null) {
			fail(message + "; .ci/run installs them");
		}
		Assumptions.assumeTrue(missing.isEmpty(), message);
	}

	@TestFactory
	Stream<DynamicTest> everyConsoleExamplePrintsWhatThePageShows() throws IOException {
		List<DynamicTest> tests = new ArrayList<>();
		for (Path page : PAGES) {
			List<Example> examples = Example.parse(page, Files.readAllLines(page, StandardCharsets.UTF_8));
			assertThat(examples).as("console examples in " + page).isNotEmpty();
			examples.forEach((example) -> tests.add(DynamicTest
				.dynamicTest(page + ":" + example.line() + " $ " + example.command(), () -> run(example))));
		}
		return tests.stream();
	}

	private static void run(Example example) throws Exception {
		String command = withPorts(example.command());
		List<String> expected = example.output().stream().map(ReadmeExamplesIT::withPorts).toList();
		ProcessBuilder builder = new ProcessBuilder("bash", "-c", command).redirectErrorStream(true)
			.redirectInput(new File("/dev/null"));
		builder.environment()
			.put("PATH", Path.of(PackagedJar.java()).getParent() + File.pathSeparator + System.getenv("PATH"));
		Process process = builder.start();
		CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
		if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
			process.descendants().forEach(ProcessHandle::destroyForcibly);
			process.destroyForcibly();
			fail("$ " + command + "\nstill running after " + TIMEOUT_SECONDS + " s; printed so far:\n"
					+ output.get(10, TimeUnit.SECONDS));
		}
		String printed = output.get(10, TimeUnit.SECONDS);
		String shown = "$ " + command + "\nprinted:\n" + printed + "\nthe page shows:\n" + String.join("\n", expected)
				+ "\nservice log:\n" + tail(service.log());
		assertThat(process.exitValue()).as("exit status of " + shown).isZero();
		assertThat(printed.isEmpty() || printed.endsWith("\n")).as("output ends with a newline: " + shown).isTrue();
		assertThat(printed).as(shown).matches(pattern(expected));
	}

	/** The service's default ports, replaced by the started jar's. */
	private static String withPorts(String text) {
		Matcher port = DEFAULT_PORT.matcher(text);
		return port.replaceAll((match) -> ports.get(match.group(1)));
	}

	/** The lines shown, each ending with a newline, {@code ...} as described above. */
	static Pattern pattern(List<String> lines) {
		StringBuilder regex = new StringBuilder();
		for (String line : lines) {
			if (line.equals(ANY)) {
				regex.append("(?:[^\\n]*\\n)*?");
				continue;
			}
			regex.append(Stream.of(line.split(Pattern.quote(ANY), -1))
				.map((part) -> part.isEmpty() ? "" : Pattern.quote(part))
				.collect(Collectors.joining("[^\\n]*?")));
			regex.append("\\n");
		}
		return Pattern.compile(regex.toString());
	}

	private static String readAll(InputStream in) {
		try {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String tail(String log) {
		return log.substring(Math.max(0, log.length() - 3000));
	}

	/**
	 * One command of a console block, its line on the page and the output shown.
	 */
	record Example(int line, String command, List<String> output) {

		static List<Example> parse(Path page, List<String> lines) {
			List<Example> examples = new ArrayList<>();
			boolean console = false;
			Example current = null;
			for (int i = 0; i < lines.size(); i++) {
				String line = lines.get(i);
				if (!console) {
					console = line.equals("```console");
					current = null;
				}
				else if (line.equals("```")) {
					console = false;
				}
				else if (line.startsWith("$ ")) {
					current = new Example(i + 1, line.substring(2), new ArrayList<>());
					examples.add(current);
				}
				else {
					assertThat(current).as(page + ":" + (i + 1) + ": output before any command").isNotNull();
					current.output().add(line);
				}
			}
			assertThat(console).as(page + ": a console block is not closed").isFalse();
			return examples;
		}

	}

}
