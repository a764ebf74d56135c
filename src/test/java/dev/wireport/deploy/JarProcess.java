package dev.wireport.deploy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
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
 * The packaged jar, {@code target/wireport.jar}, started as a child process and read
 * until it has started: the ports its listeners bound, by name, and its log.
 */
final class JarProcess implements AutoCloseable {

	private static final Pattern LISTENING = Pattern
		.compile("(TCP|UDP) listener '([\\w-]+)' listening on [^:]+:(\\d+)");

	private final Process process;

	private final List<String> log = Collections.synchronizedList(new ArrayList<>());

	private final Map<String, Integer> ports = new LinkedHashMap<>();

	private JarProcess(Process process) {
		this.process = process;
	}

	/**
	 * Starts the jar and waits until it logs that it has started.
	 * @param jvmOptions options for the JVM, before {@code -jar}
	 * @param arguments the service's arguments
	 * @param environment variables added to the child's environment
	 * @return the running service
	 * @throws IOException if the process cannot be started or read
	 */
	static JarProcess start(List<String> jvmOptions, List<String> arguments, Map<String, String> environment)
			throws IOException {
		Path jar = Path.of("target", "wireport.jar");
		assertThat(jar).as("the packaged jar (mvn package)").exists();
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.addAll(jvmOptions);
		command.addAll(List.of("-jar", jar.toString()));
		command.addAll(arguments);
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		builder.environment().putAll(environment);
		JarProcess service = new JarProcess(builder.start());
		CompletableFuture.delayedExecutor(120, TimeUnit.SECONDS).execute(service.process::destroyForcibly);
		service.readUntilStarted();
		return service;
	}

	private void readUntilStarted() {
		BufferedReader output = new BufferedReader(
				new InputStreamReader(this.process.getInputStream(), StandardCharsets.UTF_8));
		output.lines().takeWhile((line) -> {
			this.log.add(line);
			Matcher listening = LISTENING.matcher(line);
			if (listening.find()) {
				this.ports.put(listening.group(1) + " " + listening.group(2), Integer.parseInt(listening.group(3)));
			}
			return !line.contains("Started WireportApplication");
		}).forEach((line) -> {
		});
		assertThat(this.process.isAlive()).as("the service started\n%s", String.join("\n", this.log)).isTrue();
		// Keep draining the output so the child never blocks on a full pipe.
		Thread drain = new Thread(() -> output.lines().forEach(this.log::add));
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
		assertThat(port).as("%s listener bound, in\n%s", listener, String.join("\n", this.log)).isNotNull();
		return port;
	}

	/**
	 * The listeners that logged their port, as {@code TCP name} or {@code UDP name}.
	 * @return the listeners, in the order they started
	 */
	List<String> listeners() {
		return List.copyOf(this.ports.keySet());
	}

	String log() {
		synchronized (this.log) {
			return String.join("\n", this.log);
		}
	}

	Process process() {
		return this.process;
	}

	static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	@Override
	public void close() throws InterruptedException {
		this.process.destroy();
		if (!this.process.waitFor(30, TimeUnit.SECONDS)) {
			this.process.destroyForcibly();
		}
	}

}
