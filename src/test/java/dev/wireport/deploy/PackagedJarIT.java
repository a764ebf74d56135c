package dev.wireport.deploy;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

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

	private final ServiceChecks checks = new ServiceChecks("127.0.0.1");

	private PackagedJar service;

	private int httpPort;

	@BeforeEach
	void start() throws Exception {
		this.httpPort = PackagedJar.freePort();
		// Each environment variable sets one field of one listener: framed takes its port
		// from here, its log level from the argument and its framing from the jar's file.
		this.service = PackagedJar.start(
				List.of("--server.port=" + this.httpPort, "--management.server.port=" + PackagedJar.freePort(),
						"--wireport.tcp.listeners.framed.log-level=off"),
				Map.of("WIREPORT_TCP_LISTENERS_SEED_PORT", "0", "WIREPORT_TCP_LISTENERS_FRAMED_PORT", "0",
						"WIREPORT_UDP_LISTENERS_SEED_PORT", "0"));
	}

	@AfterEach
	void stop() throws InterruptedException {
		this.service.stop();
	}

	@Test
	void answersOnEveryProtocolOnceReady() throws Exception {
		await().atMost(Duration.ofSeconds(30)).until(() -> this.checks.ready(this.httpPort));

		this.checks.tcpAcks(this.service.tcpPort("seed"), this.service.tcpPort("framed"));
		this.checks.udpAck(this.service.udpPort("seed"));
		this.checks.helloWorld(this.httpPort);
	}

	@Test
	void sigtermAnswersEveryMessageAlreadySentThenExits() throws Exception {
		await().atMost(Duration.ofSeconds(30)).until(() -> this.checks.ready(this.httpPort));
		int messages = 2000;
		try (Socket busy = this.checks.socket(this.service.tcpPort("framed"))) {
			busy.getOutputStream().write("load\n".repeat(messages).getBytes(StandardCharsets.UTF_8));

			this.service.process().destroy();

			String replies = ServiceChecks.readAll(busy.getInputStream());
			assertThat(replies).isEqualTo((ServiceChecks.TCP_ACK + "\n").repeat(messages));
		}
		assertThat(this.service.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
		assertThat(this.service.process().exitValue()).as(this.service.log()).isIn(0, 143);
	}

}
