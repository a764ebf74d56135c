package dev.wireport.deploy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The artifact users run, {@code java -jar target/wireport.jar}, as a black box in a
 * child process: the checks the container test makes, with no Docker needed.
 */
class PackagedJarIT {

	private static final Pattern TCP_PORT = Pattern.compile("TCP listener '(\\w+)' listening on [^:]+:(\\d+)");

	private static final Pattern UDP_PORT = Pattern.compile("UDP listener '(\\w+)' listening on [^:]+:(\\d+)");

	private final ServiceChecks checks = new ServiceChecks("127.0.0.1");

	private Process service;

	private final List<String> log = new ArrayList<>();

	private int httpPort;

	private int seedPort;

	private int framedPort;

	private int udpPort;

	@BeforeEach
	void start() throws Exception {
		Path jar = Path.of("target", "wireport.jar");
		assertThat(jar).as("the packaged jar (mvn package)").exists();
		this.httpPort = freePort();
		ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-jar", jar.toString(), "--server.port=" + this.httpPort, "--management.server.port=" + freePort(),
				"--wireport.tcp.listeners.framed.log-level=off");
		// Each sets one field of one listener: framed takes its port from here, its log
		// level from the argument above and its framing from the jar's own file.
		builder.environment().put("WIREPORT_TCP_LISTENERS_SEED_PORT", "0");
		builder.environment().put("WIREPORT_TCP_LISTENERS_FRAMED_PORT", "0");
		builder.environment().put("WIREPORT_UDP_LISTENERS_SEED_PORT", "0");
		this.service = builder.redirectErrorStream(true).start();
		CompletableFuture.delayedExecutor(120, TimeUnit.SECONDS).execute(this.service::destroyForcibly);
		BufferedReader output = new BufferedReader(
				new InputStreamReader(this.service.getInputStream(), StandardCharsets.UTF_8));
		String line;
		while ((line = output.readLine()) != null) {
			this.log.add(line);
			Matcher tcp = TCP_PORT.matcher(line);
			if (tcp.find()) {
				int port = Integer.parseInt(tcp.group(2));
				if (tcp.group(1).equals("seed")) {
					this.seedPort = port;
				}
				else {
					this.framedPort = port;
				}
			}
			Matcher udp = UDP_PORT.matcher(line);
			if (udp.find()) {
				this.udpPort = Integer.parseInt(udp.group(2));
			}
			if (line.contains("Started WireportApplication")) {
				break;
			}
		}
		assertThat(List.of(this.seedPort, this.framedPort, this.udpPort)).as(String.join("\n", this.log))
			.allMatch((port) -> port > 0);
		// Keep draining the output so the child never blocks on a full pipe.
		Thread drain = new Thread(() -> output.lines().forEach(this.log::add));
		drain.setDaemon(true);
		drain.start();
	}

	@AfterEach
	void stop() throws InterruptedException {
		this.service.destroy();
		if (!this.service.waitFor(30, TimeUnit.SECONDS)) {
			this.service.destroyForcibly();
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	@Test
	void answersOnEveryProtocolOnceReady() throws Exception {
		await().atMost(Duration.ofSeconds(30)).until(() -> this.checks.ready(this.httpPort));

		this.checks.tcpAcks(this.seedPort, this.framedPort);
		this.checks.udpAck(this.udpPort);
		this.checks.helloWorld(this.httpPort);
	}

	@Test
	void sigtermAnswersEveryMessageAlreadySentThenExits() throws Exception {
		await().atMost(Duration.ofSeconds(30)).until(() -> this.checks.ready(this.httpPort));
		int messages = 2000;
		try (Socket busy = this.checks.socket(this.framedPort)) {
			busy.getOutputStream().write("load\n".repeat(messages).getBytes(StandardCharsets.UTF_8));

			this.service.destroy();

			String replies = ServiceChecks.readAll(busy.getInputStream());
			assertThat(replies).isEqualTo((ServiceChecks.TCP_ACK + "\n").repeat(messages));
		}
		assertThat(this.service.waitFor(30, TimeUnit.SECONDS)).isTrue();
		assertThat(this.service.exitValue()).as(String.join("\n", this.log)).isIn(0, 143);
	}

}
