package dev.wireport.config;

import java.io.IOException;
import java.net.DatagramSocket;
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
 * Each of wireport's own start-up failures is reported the Spring Boot way: one
 * description, one action, no stack trace.
 */
@ExtendWith(OutputCaptureExtension.class)
class StartupFailureAnalysisTest {

	private static final String SEED = "--wireport.tcp.listeners.seed.port=0";

	private static final String FRAMED = "--wireport.tcp.listeners.framed.port=0";

	private static final String UDP = "--wireport.udp.listeners.seed.port=0";

	@Test
	void aTcpPortInUseNamesTheListenerAndTheProcessHoldingIt(CapturedOutput output) throws IOException {
		try (ServerSocket taken = new ServerSocket(0)) {
			int port = taken.getLocalPort();
			assertThatException().isThrownBy(() -> start(SEED, UDP, "--wireport.tcp.listeners.framed.port=" + port));

			assertReport(output,
					"TCP listener 'framed' could not listen on 0.0.0.0:" + port + ": the port is in use: pid "
							+ ProcessHandle.current().pid() + " (",
					"Stop the process that holds TCP port " + port + ", or move the listener: "
							+ "--wireport.tcp.listeners.framed.port=<port> (or WIREPORT_TCP_LISTENERS_FRAMED_PORT=<port>);"
							+ " port 0 picks a free one.");
		}
	}

	@Test
	void aUdpPortInUseNamesTheListenerAndTheProcessHoldingIt(CapturedOutput output) throws IOException {
		try (DatagramSocket taken = new DatagramSocket(0)) {
			int port = taken.getLocalPort();
			assertThatException().isThrownBy(() -> start(SEED, FRAMED, "--wireport.udp.listeners.seed.port=" + port));

			assertReport(output,
					"UDP listener 'seed' could not listen on 0.0.0.0:" + port + ": the port is in use: pid "
							+ ProcessHandle.current().pid() + " (",
					"Stop the process that holds UDP port " + port + ", or move the listener: "
							+ "--wireport.udp.listeners.seed.port=<port> (or WIREPORT_UDP_LISTENERS_SEED_PORT=<port>);"
							+ " port 0 picks a free one.");
		}
	}

	@ParameterizedTest
	@CsvSource({ "server.port, management.server.port, the HTTP server, SERVER_PORT",
			"management.server.port, server.port, the management server, MANAGEMENT_SERVER_PORT" })
	void aTcpListenerOnAnHttpPortNamesBoth(String property, String other, String server, String variable,
			CapturedOutput output) {
		assertThatException().isThrownBy(() -> new SpringApplicationBuilder(WireportApplication.class)
			.run("--" + property + "=7002", "--" + other + "=0", SEED, UDP, "--wireport.tcp.listeners.framed.port=7002")
			.close());

		assertReport(output,
				"TCP listener 'framed' (wireport.tcp.listeners.framed.port) and " + server + " (" + property
						+ ") are both configured on TCP port 7002.",
				"Give each its own port, e.g. --wireport.tcp.listeners.framed.port=<port> "
						+ "(or WIREPORT_TCP_LISTENERS_FRAMED_PORT=<port>), --" + property + "=<port> (or " + variable
						+ "=<port>); port 0 picks a free one. A TCP and a UDP listener may share a number.");
	}

	@Test
	void twoListenersOnOnePortAreNamedBoth(CapturedOutput output) {
		assertThatException().isThrownBy(() -> start(UDP, "--wireport.tcp.listeners.seed.port=7000",
				"--wireport.tcp.listeners.framed.port=7000"));

		assertReport(output,
				"TCP listener 'seed' (wireport.tcp.listeners.seed.port) and TCP listener 'framed' "
						+ "(wireport.tcp.listeners.framed.port) are both configured on TCP port 7000.",
				"Give each its own port, e.g. --wireport.tcp.listeners.seed.port=<port> "
						+ "(or WIREPORT_TCP_LISTENERS_SEED_PORT=<port>), --wireport.tcp.listeners.framed.port=<port> "
						+ "(or WIREPORT_TCP_LISTENERS_FRAMED_PORT=<port>); port 0 picks a free one.");
	}

	@Test
	void anUnknownFramingListsTheNamesUsersType(CapturedOutput output) {
		assertThatException()
			.isThrownBy(() -> start(SEED, FRAMED, UDP, "--wireport.tcp.listeners.framed.framing=bogus"));

		assertReport(output,
				"wireport.tcp.listeners.framed.framing is 'bogus', which is not one of its values (set by "
						+ "\"wireport.tcp.listeners.framed.framing\" from property source \"commandLineArgs\").",
				"Set wireport.tcp.listeners.framed.framing (or WIREPORT_TCP_LISTENERS_FRAMED_FRAMING) to one of: "
						+ "chunk, lf, crlf, length-header-1, length-header-2, length-header-4, length-header-4-le, "
						+ "stx-etx, null-terminated, raw.");
		assertThat(output).doesNotContain("LENGTH_HEADER_4");
	}

	@Test
	void anUnknownReplyListsTheReplies(CapturedOutput output) {
		assertThatException().isThrownBy(() -> start(SEED, FRAMED, UDP, "--wireport.udp.listeners.seed.reply=shout"));

		assertReport(output, "wireport.udp.listeners.seed.reply is 'shout', which is not one of its values",
				"Set wireport.udp.listeners.seed.reply (or WIREPORT_UDP_LISTENERS_SEED_REPLY) to one of: ack, echo");
	}

	private static void assertReport(CapturedOutput output, String description, String action) {
		assertThat(output.toString().replaceAll("(?s).*APPLICATION FAILED TO START\\s*\\*+\\s*", ""))
			.startsWith("Description:\n\n" + description)
			.contains("\nAction:\n\n" + action)
			.doesNotContain("\tat ", "Caused by");
	}

	private static void start(String... args) {
		new SpringApplicationBuilder(WireportApplication.class).web(WebApplicationType.NONE).run(args).close();
	}

}
