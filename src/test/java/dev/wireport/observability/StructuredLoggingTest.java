package dev.wireport.observability;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import dev.wireport.WireportApplication;
import dev.wireport.tcp.TcpListeners;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One property switches the log to JSON, and each TCP line carries its listener and
 * connection as fields.
 */
@ExtendWith(OutputCaptureExtension.class)
class StructuredLoggingTest {

	@Test
	void tcpLinesCarryListenerAndConnectionAsJsonFields(CapturedOutput output) throws IOException {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(WireportApplication.class)
			.web(WebApplicationType.NONE)
			.run("--logging.structured.format.console=ecs", "--wireport.tcp.listeners[0].port=0",
					"--wireport.tcp.listeners[1].port=0")) {
			try (Socket socket = new Socket("127.0.0.1", context.getBean(TcpListeners.class).port("framed"))) {
				socket.setSoTimeout(5000);
				socket.getOutputStream().write("structured\n".getBytes(StandardCharsets.US_ASCII));
				assertThat(socket.getInputStream().readNBytes(25)).hasSize(25);
			}
		}
		String line = output.getOut()
			.lines()
			.filter((candidate) -> candidate.contains("payload=\\\"structured\\\""))
			.findFirst()
			.orElseThrow();
		assertThat(line).startsWith("{")
			.contains("\"listener\":\"framed\"")
			.containsPattern("\"connection\":\"127\\.0\\.0\\.1:\\d+:\\d+:");
	}

}
