package dev.wireport.payload;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import dev.wireport.WireportApplication;
import dev.wireport.tcp.TcpListeners;
import dev.wireport.udp.UdpListeners;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Reply {@code identify} on TCP and UDP, and {@code /go}'s JSON, tell a client which
 * instance answered it, the way the chart's Downward API variables name the pod.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "POD_NAME=wireport-7d9c5-x2x7q", "POD_NAMESPACE=edge", "NODE_NAME=node-3",
				"wireport.tcp.listeners.who.port=0", "wireport.tcp.listeners.who.framing=lf",
				"wireport.tcp.listeners.who.reply=identify", "wireport.udp.listeners.who.port=0",
				"wireport.udp.listeners.who.reply=identify" })
@ExtendWith(OutputCaptureExtension.class)
class IdentifyTest {

	private static final String IDENTITY = " instance=wireport-7d9c5-x2x7q listener=who client=127.0.0.1:";

	@Autowired
	private TcpListeners tcp;

	@Autowired
	private UdpListeners udp;

	@LocalServerPort
	private int httpPort;

	@Test
	void tcpRepliesWithTheAckTheInstanceTheListenerAndTheClientOnOneLine() throws IOException {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", this.tcp.port("who")), 5000);
			socket.setSoTimeout(5000);
			socket.getOutputStream().write("hello\nagain\n".getBytes(StandardCharsets.UTF_8));
			BufferedReader replies = new BufferedReader(
					new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
			String expected = "server接收消息成功" + IDENTITY + socket.getLocalPort();

			assertThat(replies.readLine()).isEqualTo(expected);
			assertThat(replies.readLine()).isEqualTo(expected);
		}
	}

	@Test
	void udpRepliesWithTheAckTheInstanceTheListenerAndTheSender() throws IOException {
		try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
			socket.connect(new InetSocketAddress("127.0.0.1", this.udp.port("who")));
			socket.setSoTimeout(5000);
			socket.send(new DatagramPacket(new byte[] { 'h', 'i' }, 2));
			DatagramPacket reply = new DatagramPacket(new byte[1024], 1024);
			socket.receive(reply);

			assertThat(new String(reply.getData(), 0, reply.getLength(), StandardCharsets.UTF_8))
				.isEqualTo("server接收数据成功" + IDENTITY + socket.getLocalPort());
		}
	}

	@Test
	void goInJsonNamesTheInstanceItsNamespaceAndNode() throws Exception {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.httpPort + "/go"))
				.header("Accept", "application/json")
				.build(), HttpResponse.BodyHandlers.ofString());

		JsonNode instance = JsonMapper.shared().readTree(response.body()).get("instance");
		assertThat(instance.get("name").asString()).isEqualTo("wireport-7d9c5-x2x7q");
		assertThat(instance.get("namespace").asString()).isEqualTo("edge");
		assertThat(instance.get("node").asString()).isEqualTo("node-3");
	}

	@Test
	void withoutAPodNameTheInstanceIsTheHost() throws IOException {
		Instance instance = Instance.of(new MockEnvironment());

		assertThat(instance.name()).isEqualTo(InetAddress.getLocalHost().getHostName());
		assertThat(instance.namespace()).isNull();
		assertThat(instance.node()).isNull();
	}

	@Test
	void aReplyTheFramingCannotCarryFailsStartUp(CapturedOutput output) {
		assertThatException()
			.isThrownBy(() -> new SpringApplicationBuilder(WireportApplication.class).web(WebApplicationType.NONE)
				.run("--POD_NAME=" + "p".repeat(200), "--wireport.tcp.listeners.tiny.port=0",
						"--wireport.tcp.listeners.tiny.framing=length-header-1",
						"--wireport.tcp.listeners.tiny.reply=identify")
				.close());

		assertThat(output).contains("wireport.tcp.listeners[tiny].ack")
			.contains("cannot be sent with framing length-header-1 and reply identify, which adds the instance, "
					+ "the listener and the client: ");
	}

}
