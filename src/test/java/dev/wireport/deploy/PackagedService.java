package dev.wireport.deploy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged jar, {@code java -jar target/wireport.jar}, in a child process: started,
 * its listeners' ports read from its log, its output drained, and killed after two
 * minutes at most.
 */
final class PackagedService {

	private static final Pattern PORT = Pattern.compile("(TCP|UDP) listener '(\\w+)' listening on [^:]+:(\\d+)");

	private final Process process;

	private final List<String> log = new CopyOnWriteArrayList<>();

	private final Map<String, Integer> ports = new HashMap<>();

	private PackagedService(ProcessBuilder builder) throws IOException {
		this.process = builder.redirectErrorStream(true).start();
		CompletableFuture.delayedExecutor(120, TimeUnit.SECONDS).execute(this.process::destroyForcibly);
		BufferedReader output = new BufferedReader(
				new InputStreamReader(this.process.getInputStream(), StandardCharsets.UTF_8));
		String line;
		while ((line = output.readLine()) != null) {
			this.log.add(line);
			Matcher port = PORT.matcher(line);
			if (port.find()) {
				this.ports.put(port.group(1).toLowerCase() + "." + port.group(2), Integer.parseInt(port.group(3)));
			}
			if (line.contains("Started WireportApplication")) {
				break;
			}
		}
		// Keep draining the output so the child never blocks on a full pipe.
		Thread drain = new Thread(() -> {
			try {
				output.lines().forEach(this.log::add);
			}
			catch (UncheckedIOException ex) {
				// The process was stopped: its output is closed.
			}
		});
		drain.setDaemon(true);
		drain.start();
	}

	/**
	 * Starts the jar.
	 * @param environment environment variables added to the child's
	 * @param args the command line after {@code -jar wireport.jar}
	 * @return the service, started (or ended: see {@link #log()})
	 * @throws IOException if the process cannot start
	 */
	static PackagedService start(Map<String, String> environment, String... args) throws IOException {
		Path jar = Path.of("target", "wireport.jar");
		assertThat(jar).as("the packaged jar (mvn package)").exists();
		List<String> command = new ArrayList<>(
				List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString()));
		command.addAll(List.of(args));
		ProcessBuilder builder = new ProcessBuilder(command);
		builder.environment().putAll(environment);
		return new PackagedService(builder);
	}

	static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	/**
	 * A listener's bound port, from the log.
	 * @param listener {@code tcp.<name>} or {@code udp.<name>}
	 * @return the port, 0 if the log did not say
	 */
	int port(String listener) {
		return this.ports.getOrDefault(listener, 0);
	}

	Process process() {
		return this.process;
	}

	List<String> log() {
		return this.log;
	}

	/**
	 * Sends SIGTERM and waits for the process to end, killing it after 30 s.
	 * @throws InterruptedException if interrupted while waiting
	 */
	void stop() throws InterruptedException {
		this.process.destroy();
		if (!this.process.waitFor(30, TimeUnit.SECONDS)) {
			this.process.destroyForcibly();
		}
	}

}
