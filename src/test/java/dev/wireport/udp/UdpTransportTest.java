package dev.wireport.udp;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import dev.wireport.WireportApplication;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The UDP listeners on each Netty transport: answered from the listening port, whether
 * the event loop or a handler thread answers, with truncation detected; and the port
 * released on shutdown.
 */
class UdpTransportTest {

	private static final byte[] ACK = UdpProperties.SEED_ACK.getBytes(StandardCharsets.UTF_8);

	@ParameterizedTest
	@ValueSource(strings = { "epoll", "nio" })
	void datagramsAreAnsweredFromTheListeningPortAndThePortIsFreedOnShutdown(String transport) throws IOException {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(WireportApplication.class)
			.web(WebApplicationType.NONE)
			.run("--wireport.tcp.listeners.seed.port=0", "--wireport.tcp.listeners.framed.port=0",
					"--wireport.udp.listeners.seed.port=0", "--wireport.udp.listeners.seed.max-datagram-size=100B",
					"--wireport.udp.listeners.queued.port=0", "--wireport.udp.listeners.queued.max-datagram-size=100B",
					"--wireport.udp.listeners.queued.handler-threads=1", "--wireport.io.transport=" + transport);
		UdpListeners listeners = context.getBean(UdpListeners.class);
		MeterRegistry registry = context.getBean(MeterRegistry.class);
		int seed = listeners.port("seed");
		try (DatagramSocket client = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
			client.setSoTimeout(5000);
			for (String listener : new String[] { "seed", "queued" }) {
				client.connect(InetAddress.getLoopbackAddress(), listeners.port(listener));
				// The longest datagram handled, then one byte more: truncated,
				// unanswered.
				client.send(new DatagramPacket(new byte[100], 100));
				client.send(new DatagramPacket(new byte[101], 101));
				client.send(new DatagramPacket(new byte[] { 1 }, 1));
				for (int i = 0; i < 2; i++) {
					DatagramPacket reply = new DatagramPacket(new byte[1024], 1024);
					client.receive(reply);
					assertThat(reply.getPort()).isEqualTo(listeners.port(listener));
					assertThat(Arrays.copyOf(reply.getData(), reply.getLength())).isEqualTo(ACK);
				}
				client.disconnect();
				assertThat(registry.get("wireport.udp.datagrams.truncated").tag("listener", listener).counter().count())
					.isEqualTo(1);
			}
		}
		finally {
			context.close();
		}
		try (DatagramSocket again = new DatagramSocket(new InetSocketAddress(seed))) {
			assertThat(again.getLocalPort()).isEqualTo(seed);
		}
	}

}
