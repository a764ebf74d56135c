package dev.wireport.tcp;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;

import dev.wireport.WireportApplication;
import dev.wireport.framing.Framing;
import dev.wireport.payload.ReplyMode;
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
import static org.assertj.core.api.Assertions.tuple;

/**
 * Start-up fails on invalid TCP configuration, with a message that names the property.
 */
@ExtendWith(OutputCaptureExtension.class)
class TcpPropertiesTest {

	private static final String EPHEMERAL_0 = "--wireport.tcp.listeners[0].port=0";

	private static final String EPHEMERAL_1 = "--wireport.tcp.listeners[1].port=0";

	@ParameterizedTest
	@CsvSource(delimiter = '|',
			value = { "--wireport.tcp.listeners[1].framing=json | wireport.tcp.listeners[1].framing",
					"--wireport.tcp.listeners[1].backlog=0 | wireport.tcp.listeners[1].backlog",
					"--wireport.tcp.listeners[1].max-frame-size=-1B | wireport.tcp.listeners[1].max-frame-size",
					"--wireport.tcp.listeners[0].idle-timeout=-1s | wireport.tcp.listeners[0].idle-timeout",
					"--wireport.tcp.listeners[1].max-connections=0 | wireport.tcp.listeners[1].max-connections",
					"--wireport.tcp.listeners[1].name=seed | wireport.tcp.listeners[1].name",
					"--wireport.tcp.listeners[2].framing=lf | wireport.tcp.listeners[2].name",
					"--wireport.tcp.listeners[2].name=extra | wireport.tcp.listeners[2].port",
					"--wireport.tcp.listeners[1].ack= | wireport.tcp.listeners[1].ack" })
	void invalidConfigurationFailsStartUpNamingTheProperty(String argument, String property, CapturedOutput output) {
		assertThatException().isThrownBy(() -> start(EPHEMERAL_0, EPHEMERAL_1, argument));

		assertThat(output).contains("APPLICATION FAILED TO START").contains(property);
	}

	@Test
	void aPortOutOfRangeFailsStartUp(CapturedOutput output) {
		assertThatException().isThrownBy(() -> start("--wireport.tcp.listeners[0].port=70000", EPHEMERAL_1));

		assertThat(output).contains("wireport.tcp.listeners[0].port").contains("must be between 0 and 65535");
	}

	@Test
	void twoListenersOnOnePortFailStartUp(CapturedOutput output) {
		assertThatException()
			.isThrownBy(() -> start("--wireport.tcp.listeners[0].port=7000", "--wireport.tcp.listeners[1].port=7000"));

		assertThat(output).contains("wireport.tcp.listeners[1].port")
			.contains("another listener, wireport.tcp.listeners[0], uses the same port");
	}

	@Test
	void anAckThatTheFramingCannotCarryFailsStartUp(CapturedOutput output) {
		assertThatException().isThrownBy(() -> start(EPHEMERAL_0, EPHEMERAL_1, "--wireport.tcp.listeners[1].ack=a\nb"));

		assertThat(output).contains("wireport.tcp.listeners[1].ack")
			.contains("cannot be sent with framing lf: it contains the framing's terminator");
	}

	@Test
	void aPortInUseFailsStartUpNamingTheListener() throws IOException {
		try (ServerSocket taken = new ServerSocket(0)) {
			assertThatException()
				.isThrownBy(() -> start(EPHEMERAL_0, "--wireport.tcp.listeners[1].port=" + taken.getLocalPort()))
				.withStackTraceContaining("TCP listener 'framed' could not listen on 0.0.0.0:" + taken.getLocalPort());
		}
	}

	@Test
	void anIndexSetOnTheCommandLineKeepsTheOtherDefaults() {
		TcpProperties properties = new TcpProperties(List.of(new TcpProperties.Listener(null, null, null, 0, null, null,
				null, null, null, null, ReplyMode.ECHO, null, null, null, null, null, null)), Duration.ZERO);

		assertThat(properties.listenerSettings())
			.extracting(TcpListenerSettings::name, TcpListenerSettings::port, TcpListenerSettings::framing,
					TcpListenerSettings::reply)
			.containsExactly(tuple("seed", 0, Framing.CHUNK, ReplyMode.ECHO),
					tuple("framed", 9080, Framing.LF, ReplyMode.ACK));
	}

	@Test
	void aListenerCanBeSwitchedOff() {
		TcpProperties properties = new TcpProperties(List.of(new TcpProperties.Listener(null, false, null, null, null,
				null, null, null, null, null, null, null, null, null, null, null, null)), Duration.ZERO);

		assertThat(properties.listenerSettings()).extracting(TcpListenerSettings::name).containsExactly("framed");
	}

	private static void start(String... args) {
		new SpringApplicationBuilder(WireportApplication.class).web(WebApplicationType.NONE).run(args).close();
	}

}
