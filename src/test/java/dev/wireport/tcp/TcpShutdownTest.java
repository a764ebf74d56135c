package dev.wireport.tcp;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import dev.wireport.WireportApplication;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Shutdown stops accepting, answers every complete message already received, then closes.
 */
@ExtendWith(OutputCaptureExtension.class)
class TcpShutdownTest {

	@ParameterizedTest
	@ValueSource(strings = { "epoll", "nio" })
	void shutdownAnswersEveryMessageAlreadyReceivedThenCloses(String transport, CapturedOutput output)
			throws IOException {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(WireportApplication.class)
			.web(WebApplicationType.NONE)
			.run("--wireport.tcp.listeners.seed.port=0", "--wireport.tcp.listeners.framed.port=0",
					"--wireport.tcp.listeners.framed.log-level=off", "--wireport.tcp.drain-timeout=60s",
					"--wireport.io.transport=" + transport);
		TcpListeners listeners = context.getBean(TcpListeners.class);
		int port = listeners.port("framed");
		int messages = 500;
		try (WireClient busy = new WireClient(port); WireClient idle = new WireClient(port)) {
			// Connections still in the kernel's accept queue are not the service's yet.
			await().atMost(Duration.ofSeconds(5)).until(() -> listeners.activeConnections("framed") == 2);
			busy.write("message\n".repeat(messages) + "unfinished");

			context.close();

			String expected = (TcpProperties.SEED_ACK + "\n").repeat(messages)
					+ "ERROR server shutting down: the unfinished frame was not handled\n";
			assertThat(busy.readToEnd()).asString(StandardCharsets.UTF_8).isEqualTo(expected);
			assertThat(idle.readToEnd()).isEmpty();
		}
		assertThatExceptionOfType(ConnectException.class).isThrownBy(() -> new WireClient(port).close());
		assertThat(output).doesNotContain("still open after the drain timeout")
			.contains("listener=framed connection=")
			.contains(
					"ended by shutdown with a frame unfinished (connection closed in the middle of a frame after 10 bytes)")
			.doesNotContain("frame rejected");
	}

}
