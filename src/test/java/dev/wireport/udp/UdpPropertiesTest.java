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
			"--wireport.udp.listeners.seed.max-datagram-size=65508B | wireport.udp.listeners[seed].maxDatagramSize",
			"--wireport.udp.listeners.seed.reply-rate=0 | wireport.udp.listeners[seed].replyRate",
			"--wireport.udp.listeners.seed.reply-rate=Infinity | wireport.udp.listeners[seed].replyRate",
			"--wireport.udp.listeners.seed.reply-burst=0 | wireport.udp.listeners[seed].replyBurst",
			"--wireport.udp.listeners.seed.queue-capacity=0 | wireport.udp.listeners[seed].queueCapacity",
			"--wireport.udp.listeners.seed.handler-threads=-1 | wireport.udp.listeners[seed].handlerThreads",
			"--wireport.udp.listeners.seed.reply=shout | wireport.udp.listeners.seed.reply",
			"--wireport.udp.listeners.seed.ack= | wireport.udp.listeners[seed].ack",
			"--wireport.udp.listeners.other.reply=echo | wireport.udp.listeners[other].port" })
	void invalidConfigurationFailsStartUpNamingTheProperty(String argument, String property, CapturedOutput output) {
		assertThatException().isThrownBy(() -> start(argument));

		assertThat(output).contains("APPLICATION FAILED TO START").contains(property);
	}

	@Test
	void aPortOutOfRangeFailsStartUp(CapturedOutput output) {
		assertThatException().isThrownBy(() -> start("--wireport.udp.listeners.seed.port=65536"));

		assertThat(output).contains("wireport.udp.listeners[seed].port").contains("must be between 0 and 65535");
	}

	@Test
	void aPortInUseFailsStartUpNamingTheListener() throws IOException {
		try (DatagramSocket taken = new DatagramSocket(0)) {
			assertThatException().isThrownBy(() -> start("--wireport.udp.listeners.seed.port=" + taken.getLocalPort()))
				.withStackTraceContaining("UDP listener 'seed' could not listen on 0.0.0.0:" + taken.getLocalPort());
		}
	}

	@Test
	void twoListenersOnOnePortFailStartUp(CapturedOutput output) {
		assertThatException().isThrownBy(() -> start("--wireport.udp.listeners.seed.port=7000",
				"--wireport.udp.listeners.other.port=7000", "--wireport.tcp.listeners.seed.port=7000"));

		assertThat(output).contains("UDP listener 'seed' (wireport.udp.listeners.seed.port) and UDP listener 'other'"
				+ " (wireport.udp.listeners.other.port) are both configured on UDP port 7000");
	}

	/**
	 * Starts the service with the test configuration, which puts every listener on an
	 * ephemeral port.
	 */
	private static void start(String... args) {
		new SpringApplicationBuilder(WireportApplication.class).web(WebApplicationType.NONE).run(args).close();
	}

}
