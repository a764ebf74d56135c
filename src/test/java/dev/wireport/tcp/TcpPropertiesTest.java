package dev.wireport.tcp;

import java.io.IOException;
import java.net.ServerSocket;

import dev.wireport.WireportApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Start-up fails on invalid TCP configuration, with a message that names the property.
 */
@ExtendWith(OutputCaptureExtension.class)
class TcpPropertiesTest {

	private static final String EPHEMERAL_0 = "--wireport.tcp.listeners.seed.port=0";

	private static final String EPHEMERAL_1 = "--wireport.tcp.listeners.framed.port=0";

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = {
			"--wireport.tcp.listeners.framed.framing=json | wireport.tcp.listeners.framed.framing",
			"--wireport.tcp.listeners.framed.proxy-protocol=v2 | wireport.tcp.listeners.framed.proxy-protocol",
			"--wireport.tcp.listeners.framed.backlog=0 | wireport.tcp.listeners[framed].backlog",
			"--wireport.tcp.listeners.framed.max-frame-size=-1B | wireport.tcp.listeners[framed].maxFrameSize",
			"--wireport.tcp.listeners.framed.max-frame-size=2GB | wireport.tcp.listeners[framed].maxFrameSize",
			"--wireport.tcp.listeners.seed.idle-timeout=-1s | wireport.tcp.listeners[seed].idleTimeout",
			"--wireport.tcp.listeners.seed.write-timeout=30d | wireport.tcp.listeners[seed].writeTimeout",
			"--wireport.tcp.listeners.seed.keep-alive-idle=0s | wireport.tcp.listeners[seed].keepAliveIdle",
			"--wireport.tcp.listeners.seed.keep-alive-interval=32768s | wireport.tcp.listeners[seed].keepAliveInterval",
			"--wireport.tcp.listeners.seed.keep-alive-count=128 | wireport.tcp.listeners[seed].keepAliveCount",
			"--wireport.tcp.listeners.framed.max-connections=0 | wireport.tcp.listeners[framed].maxConnections",
			"--wireport.tcp.listeners.framed.log-rate=-1 | wireport.tcp.listeners[framed].logRate",
			"--wireport.tcp.listeners.framed.host= | wireport.tcp.listeners[framed].host",
			"--wireport.tcp.listeners.extra.port=0 | wireport.tcp.listeners[extra].framing",
			"--wireport.tcp.listeners.extra.framing=lf | wireport.tcp.listeners[extra].port",
			"--wireport.tcp.listeners.framed.nmae=x | wireport.tcp.listeners.framed.nmae",
			"--wireport.tcp.listeners.[a.b].port=0 | wireport.tcp.listeners",
			"--wireport.tcp.listeners.framed.ack= | wireport.tcp.listeners[framed].ack",
			"--wireport.tcp.listeners.framed.ssl.bundle=nowhere | wireport.tcp.listeners.framed.ssl.bundle",
			"--wireport.tcp.listeners.framed.ssl.client-auth=need | wireport.tcp.listeners.framed.ssl.client-auth",
			"--wireport.tcp.listeners.framed.ssl.client-auth=maybe | wireport.tcp.listeners.framed.ssl.client-auth",
			"--wireport.tcp.listeners.framed.ssl.handshake-timeout=0 | wireport.tcp.listeners[framed].ssl.handshakeTimeout" })
	void invalidConfigurationFailsStartUpNamingTheProperty(String argument, String property, CapturedOutput output) {
		assertThatException().isThrownBy(() -> start(EPHEMERAL_0, EPHEMERAL_1, argument));

		assertThat(output).contains("APPLICATION FAILED TO START").contains(property);
	}

	@Test
	void aPortOutOfRangeFailsStartUp(CapturedOutput output) {
		assertThatException().isThrownBy(() -> start("--wireport.tcp.listeners.seed.port=70000", EPHEMERAL_1));

		assertThat(output).contains("wireport.tcp.listeners[seed].port").contains("must be between 0 and 65535");
	}

	@Test
	void twoListenersOnOnePortFailStartUp(CapturedOutput output) {
		assertThatException().isThrownBy(
				() -> start("--wireport.tcp.listeners.seed.port=7000", "--wireport.tcp.listeners.framed.port=7000"));

		assertThat(output).contains("TCP listener 'seed' (wireport.tcp.listeners.seed.port) and TCP listener 'framed'"
				+ " (wireport.tcp.listeners.framed.port) are both configured on TCP port 7000");
	}

	@ParameterizedTest
	@CsvSource({ "server.port, management.server.port", "management.server.port, server.port" })
	void aListenerOnAnHttpPortFailsStartUp(String property, String other, CapturedOutput output) {
		String[] args = { "--" + property + "=7002", "--" + other + "=0", EPHEMERAL_0,
				"--wireport.tcp.listeners.framed.port=7002" };
		assertThatException()
			.isThrownBy(() -> new SpringApplicationBuilder(WireportApplication.class).run(args).close());

		assertThat(output).contains("TCP listener 'framed' (wireport.tcp.listeners.framed.port) and ")
			.contains("(" + property + ") are both configured on TCP port 7002");
	}

	@Test
	void anAckThatTheFramingCannotCarryFailsStartUp(CapturedOutput output) {
		assertThatException()
			.isThrownBy(() -> start(EPHEMERAL_0, EPHEMERAL_1, "--wireport.tcp.listeners.framed.ack=a\nb"));

		assertThat(output).contains("wireport.tcp.listeners[framed].ack")
			.contains("cannot be sent with framing lf: it contains the framing's terminator");
	}

	@Test
	void aPortInUseFailsStartUpNamingTheListener() throws IOException {
		try (ServerSocket taken = new ServerSocket(0)) {
			assertThatException()
				.isThrownBy(() -> start(EPHEMERAL_0, "--wireport.tcp.listeners.framed.port=" + taken.getLocalPort()))
				.withStackTraceContaining("TCP listener 'framed' could not listen on 0.0.0.0:" + taken.getLocalPort());
		}
	}

	private static void start(String... args) {
		new SpringApplicationBuilder(WireportApplication.class).web(WebApplicationType.NONE).run(args).close();
	}

}
