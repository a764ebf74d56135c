package dev.wireport.deploy;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged jar started the fast way, with Spring AOT's generated code
 * ({@code -Dspring.aot.enabled=true}). AOT fixes the bean definitions at build time, so
 * this checks that what users set at run time still takes effect: listeners removed,
 * added and changed by property, their ports, and a management port of its own.
 */
class AotModeJarIT {

	private final ServiceChecks checks = new ServiceChecks("127.0.0.1");

	private final HttpClient http = HttpClient.newHttpClient();

	@Test
	void runTimePropertiesTakeEffectInAotMode() throws Exception {
		int httpPort = PackagedJar.freePort();
		int managementPort = PackagedJar.freePort();
		int framedPort = PackagedJar.freePort();
		try (PackagedJar service = PackagedJar.start(List.of("-Dspring.aot.enabled=true"),
				List.of("--server.port=" + httpPort, "--management.server.port=" + managementPort,
						"--wireport.tcp.listeners.framed.port=" + framedPort,
						"--wireport.tcp.listeners.framed.ack=framed-ack", "--wireport.tcp.listeners.extra.port=0",
						"--wireport.tcp.listeners.extra.framing=crlf", "--wireport.udp.listeners.telemetry.port=0"),
				Map.of("WIREPORT_TCP_LISTENERS_SEED_ENABLED", "false", "WIREPORT_UDP_LISTENERS_SEED_ENABLED",
						"false"))) {
			assertThat(service.log()).contains("Starting AOT-processed WireportApplication");
			await().atMost(Duration.ofSeconds(30)).until(() -> this.checks.ready(httpPort));

			assertThat(service.listeners()).containsExactlyInAnyOrder("TCP framed", "TCP extra", "UDP telemetry");
			assertThat(service.tcpPort("framed")).isEqualTo(framedPort);
			assertThat(exchange(framedPort, "hello\n", "framed-ack\n")).isEqualTo("framed-ack\n");
			assertThat(exchange(service.tcpPort("extra"), "hello\r\n", ServiceChecks.TCP_ACK + "\r\n"))
				.isEqualTo(ServiceChecks.TCP_ACK + "\r\n");
			this.checks.udpAck(service.udpPort("telemetry"));
			this.checks.helloWorld(httpPort);

			String scrape = get(managementPort, "/actuator/prometheus").body();
			assertThat(scrape).contains("wireport_listener_up{listener=\"extra\",protocol=\"tcp\"} 1.0")
				.contains("wireport_listener_up{listener=\"telemetry\",protocol=\"udp\"} 1.0")
				.doesNotContain("listener=\"seed\"");
			assertThat(get(httpPort, "/actuator/prometheus").statusCode()).isEqualTo(404);
		}
	}

	/**
	 * Sends one message and reads as many bytes as the expected reply has.
	 */
	private String exchange(int port, String message, String expected) throws IOException {
		try (Socket socket = this.checks.socket(port)) {
			socket.getOutputStream().write(message.getBytes(StandardCharsets.UTF_8));
			byte[] reply = socket.getInputStream().readNBytes(expected.getBytes(StandardCharsets.UTF_8).length);
			return new String(reply, StandardCharsets.UTF_8);
		}
	}

	private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
		return this.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
				HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
	}

}
