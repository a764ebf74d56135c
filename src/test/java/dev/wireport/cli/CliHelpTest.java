package dev.wireport.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --help} is the overview of service and clients, never a property that starts the
 * service; the service's part comes from the jar's own configuration.
 */
class CliHelpTest {

	@ParameterizedTest
	@ValueSource(strings = { "--help", "-h", "help", "--server.port=8085 --help", "--server.port=8085 -h" })
	void helpIsTheOverview(String arguments) {
		String[] args = arguments.split(" ");
		assertThat(Cli.isCommand(args)).isTrue();
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ByteArrayOutputStream err = new ByteArrayOutputStream();

		int status = Cli.run(args, new ByteArrayInputStream(new byte[0]),
				new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

		assertThat(status).isZero();
		assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
		assertThat(out.toString(StandardCharsets.UTF_8)).contains(
				"  TCP listener seed     port 9000  framing chunk  reply ack\n",
				"  TCP listener framed   port 9080  framing lf     reply ack\n",
				"  UDP listener seed     port 8090  reply ack, at most 100 replies/s (bursts of 200) per source address\n",
				"  HTTP                  port 8080  ", "  HTTP management       port 8081  ",
				"--wireport.tcp.listeners.seed.port=9001   or   WIREPORT_TCP_LISTENERS_SEED_PORT=9001\n",
				"length-header-4-le", "max-frame-size", "reply-rate")
			.contains("  tcp-client ", "  sticky-demo ", "  udp-client ", "  fetch ", "  bench ");
	}

	@ParameterizedTest
	@ValueSource(strings = { "--server.port=8085", "--wireport.tcp.listeners.seed.port=0 --helpful=1" })
	void propertiesRunTheService(String arguments) {
		assertThat(Cli.isCommand(arguments.split(" "))).isFalse();
	}

}
