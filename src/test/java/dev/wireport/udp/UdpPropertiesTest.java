package dev.wireport.udp;

import java.io.IOException;
import java.net.DatagramSocket;

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
 * Start-up fails on invalid UDP configuration, with a message that names the property.
 */
@ExtendWith(OutputCaptureExtension.class)
class UdpPropertiesTest {

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = {
			"--wireport.udp.listeners[0].max-datagram-size=65508B | wireport.udp.listeners[0].max-datagram-size",
			"--wireport.udp.listeners[0].reply-rate=0 | wireport.udp.listeners[0].reply-rate",
			"--wireport.udp.listeners[0].reply-burst=0 | wireport.udp.listeners[0].reply-burst",
			"--wireport.udp.listeners[0].queue-capacity=-1 | wireport.udp.listeners[0].queue-capacity",
			"--wireport.udp.listeners[0].handler-threads=-1 | wireport.udp.listeners[0].handler-threads",
			"--wireport.udp.listeners[0].reply=shout | wireport.udp.listeners[0].reply",
			"--wireport.udp.listeners[1].name=other | wireport.udp.listeners[1].port" })
	void invalidConfigurationFailsStartUpNamingTheProperty(String argument, String property, CapturedOutput output) {
		assertThatException().isThrownBy(() -> start("--wireport.udp.listeners[0].port=0", argument));

		assertThat(output).contains("APPLICATION FAILED TO START").contains(property);
	}

	@Test
	void aPortOutOfRangeFailsStartUp(CapturedOutput output) {
		assertThatException().isThrownBy(() -> start("--wireport.udp.listeners[0].port=65536"));

		assertThat(output).contains("wireport.udp.listeners[0].port").contains("must be between 0 and 65535");
	}

	@Test
	void aPortInUseFailsStartUpNamingTheListener() throws IOException {
		try (DatagramSocket taken = new DatagramSocket(0)) {
			assertThatException().isThrownBy(() -> start("--wireport.udp.listeners[0].port=" + taken.getLocalPort()))
				.withStackTraceContaining("UDP listener 'seed' could not listen on 0.0.0.0:" + taken.getLocalPort());
		}
	}

	private static void start(String... args) {
		String[] all = new String[args.length + 2];
		all[0] = "--wireport.tcp.listeners[0].port=0";
		all[1] = "--wireport.tcp.listeners[1].port=0";
		System.arraycopy(args, 0, all, 2, args.length);
		new SpringApplicationBuilder(WireportApplication.class).web(WebApplicationType.NONE).run(all).close();
	}

}
