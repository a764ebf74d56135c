package dev.wireport.deploy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code java -jar target/wireport.jar} in a child process, started and read as a user
 * would: its ports are the ones its log says its listeners took.
 */
final class PackagedJar implements AutoCloseable {

	private static final Pattern LISTENING = Pattern
		.compile("(TCP|UDP) listener '([\\w-]+)' listening on [^:]+:(\\d+)");

	private final Process process;

	private final List<String> log = Collections.synchronizedList(new ArrayList<>());

	private final Map<String, Integer> ports = new LinkedHashMap<>();

	private PackagedJar(Process process) {
		this.process = process;
	}

	/**
	 * Starts the jar and returns once it has logged that it started, with the listener
	 * ports it logged on the way; the child is killed after two minutes whatever happens,
	 * so a hung start never outlives the test run.
	 */
	static PackagedJar start(List<String> arguments, Map<String, String> environment) throws IOException {
		return start(List.of(), arguments, environment);
	}

	/**
	 * Starts the jar with options for its JVM, as {@link #start(List, Map)} does.
	 * @param jvmOptions options for the JVM, before {@code -jar}
	 * @param arguments the service's arguments
	 * @param environment variables added to the child's environment
	 * @return the running service
	 * @throws IOException if the process cannot be started or read
	 */
	static PackagedJar start(List<String> jvmOptions, List<String> arguments, Map<String, String> environment)
			throws IOException {
		Path jar = Path.of("target", "wireport.jar");
		assertThat(jar).as("the packaged jar (mvn package)").exists();
		List<String> command = new ArrayList<>();
		command.add(java());
		command.addAll(jvmOptions);
		command.addAll(List.of("-jar", jar.toString()));
		command.addAll(arguments);
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		builder.environment().putAll(environment);
		PackagedJar service = new PackagedJar(builder.start());
		CompletableFuture.delayedExecutor(120, TimeUnit.SECONDS).execute(service.process::destroyForcibly);
		service.readUntilStarted();
		return service;
	}

	/** The {@code java} of the JVM running the tests. */
	static String java() {
		return Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}

	static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	private void readUntilStarted() throws IOException {
		BufferedReader output = new BufferedReader(
				new InputStreamReader(this.process.getInputStream(), StandardCharsets.UTF_8));
		String line;
		while ((line = output.readLine()) != null) {
			this.log.add(line);
			Matcher listening = LISTENING.matcher(line);
			if (listening.find()) {
				this.ports.put(listening.group(1) + " " + listening.group(2), Integer.parseInt(listening.group(3)));
			}
			if (line.contains("Started WireportApplication")) {
				break;
			}
		}
		assertThat(line).as(String.join("\n", this.log)).isNotNull();
		// Keep draining the output so the child never blocks on a full pipe.
		Thread drain = new Thread(() -> {
			try {
				output.lines().forEach(this.log::add);
			}
			catch (UncheckedIOException ex) {
				// The child has exited and its output stream was closed under the reader.
			}
		});
		drain.setDaemon(true);
		drain.start();
	}

	int tcpPort(String listener) {
		return port("TCP " + listener);
	}

	int udpPort(String listener) {
		return port("UDP " + listener);
	}

	private int port(String listener) {
		Integer port = this.ports.get(listener);
		assertThat(port).as(listener + " in\n" + log()).isNotNull();
		return port;
	}

	/**
	 * The listeners that logged their port, as {@code TCP name} or {@code UDP name}.
	 * @return the listeners, in the order they started
	 */
	List<String> listeners() {
		return List.copyOf(this.ports.keySet());
	}

	Process process() {
		return this.process;
	}

	String log() {
		synchronized (this.log) {
			return String.join("\n", this.log);
		}
	}

	@Override
	public void close() throws InterruptedException {
		stop();
	}

	/** SIGTERM, then SIGKILL if it has not exited within 30 seconds. */
	void stop() throws InterruptedException {
		this.process.destroy();
		if (!this.process.waitFor(30, TimeUnit.SECONDS)) {
			this.process.destroyForcibly();
		}
	}

}
