package dev.wireport.observability;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.wireport.tcp.TcpListeners;
import dev.wireport.udp.UdpListeners;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Scrapes the management port after real traffic: the counters moved by exactly the
 * traffic sent.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "wireport.tcp.listeners.seed.port=0", "wireport.tcp.listeners.framed.port=0",
				"wireport.tcp.listeners.framed.max-frame-size=16B", "wireport.tcp.listeners.framed.log-level=off",
				"wireport.udp.listeners.seed.port=0", "wireport.udp.listeners.seed.max-datagram-size=32B",
				"wireport.udp.listeners.seed.reply-burst=3", "wireport.udp.listeners.seed.reply-rate=0.01" })
class PrometheusScrapeTest {

	private final HttpClient http = HttpClient.newHttpClient();

	@Autowired
	private TcpListeners listeners;

	@Autowired
	private UdpListeners udpListeners;

	@LocalManagementPort
	private int managementPort;

	@LocalServerPort
	private int serverPort;

	@Test
	void tcpCountersMoveByExactlyTheTrafficSent() throws Exception {
		String before = scrape();
		int messages = 25;
		try (Socket socket = new Socket("127.0.0.1", this.listeners.port("framed"))) {
			socket.setSoTimeout(5000);
			OutputStream out = socket.getOutputStream();
			out.write("12345\n".repeat(messages).getBytes(StandardCharsets.US_ASCII));
			out.write("this line is longer than sixteen bytes\n".getBytes(StandardCharsets.US_ASCII));
			InputStream in = socket.getInputStream();
			assertThat(in.readAllBytes()).asString(StandardCharsets.UTF_8)
				.startsWith("server接收消息成功\n".repeat(messages))
				.endsWith("ERROR frame exceeds the maximum frame size of 16 bytes (no terminator within the limit)\n");
		}
		String after = scrape();

		assertThat(delta(before, after, "wireport_tcp_messages_received_total{listener=\"framed\"}"))
			.isEqualTo(messages);
		assertThat(delta(before, after, "wireport_tcp_messages_replied_total{listener=\"framed\"}"))
			.isEqualTo(messages);
		assertThat(delta(before, after, "wireport_tcp_payload_received_bytes_total{listener=\"framed\"}"))
			.isEqualTo(5 * messages);
		assertThat(delta(before, after, "wireport_tcp_payload_sent_bytes_total{listener=\"framed\"}"))
			.isEqualTo(24 * messages);
		assertThat(delta(before, after, "wireport_tcp_frames_rejected_total{listener=\"framed\",reason=\"too-large\"}"))
			.isEqualTo(1);
		assertThat(delta(before, after, "wireport_tcp_connections_opened_total{listener=\"framed\"}")).isEqualTo(1);
		assertThat(delta(before, after, "wireport_tcp_messages_handling_seconds_count{listener=\"framed\"}"))
			.isEqualTo(messages);
		assertThat(delta(before, after, "wireport_tcp_messages_received_total{listener=\"seed\"}")).isZero();
	}

	@Test
	void udpCountersMoveByExactlyTheTrafficSent() throws Exception {
		String before = scrape();
		try (DatagramSocket client = new DatagramSocket()) {
			client.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), this.udpListeners.port("seed")));
			client.setSoTimeout(5000);
			for (int i = 0; i < 5; i++) {
				client.send(new DatagramPacket(new byte[10], 10));
			}
			client.send(new DatagramPacket(new byte[33], 33));
			for (int i = 0; i < 3; i++) {
				client.receive(new DatagramPacket(new byte[100], 100));
			}
		}
		String series = "{listener=\"seed\"}";
		await().atMost(Duration.ofSeconds(5))
			.until(() -> delta(before, scrape(), "wireport_udp_datagrams_truncated_total" + series) == 1
					&& delta(before, scrape(), "wireport_udp_datagrams_rate_limited_total" + series) == 2);
		String after = scrape();

		assertThat(delta(before, after, "wireport_udp_datagrams_received_total" + series)).isEqualTo(5);
		assertThat(delta(before, after, "wireport_udp_datagrams_replied_total" + series)).isEqualTo(3);
		assertThat(delta(before, after, "wireport_udp_payload_received_bytes_total" + series)).isEqualTo(50);
		assertThat(delta(before, after, "wireport_udp_payload_sent_bytes_total" + series)).isEqualTo(3 * 24);
		assertThat(delta(before, after, "wireport_udp_datagrams_dropped_total" + series)).isZero();
		assertThat(delta(before, after, "wireport_udp_replies_dropped_total" + series)).isZero();
	}

	@Test
	@EnabledOnOs(OS.LINUX)
	void theKernelsDropCountOfEachUdpListenerIsExported() throws Exception {
		assertThat(value(scrape(), "wireport_udp_datagrams_overflowed_total{listener=\"seed\"}")).isZero();
	}

	@Test
	void probesAnswerOnTheMainPortAndHealthShowsEveryListener() throws Exception {
		assertThat(get(this.serverPort, "/readyz").body()).contains("\"status\":\"UP\"")
			.contains("\"framed\":{\"details\":{\"host\":\"0.0.0.0\",\"port\":" + this.listeners.port("framed")
					+ ",\"framing\":\"lf\"")
			.contains("\"udp\":{\"components\":{\"seed\":{\"details\":{\"host\":\"0.0.0.0\",\"port\":"
					+ this.udpListeners.port("seed"));
		assertThat(get(this.serverPort, "/livez").body()).isEqualTo("{\"status\":\"UP\"}");
		assertThat(get(this.managementPort, "/actuator/info").body()).contains("\"build\":")
			.contains("\"artifact\":\"wireport\"");
		assertThat(get(this.managementPort, "/actuator/env").statusCode()).isEqualTo(404);
		assertThat(get(this.serverPort, "/actuator/health").statusCode()).isEqualTo(404);
	}

	private String scrape() throws IOException, InterruptedException {
		HttpResponse<String> response = get(this.managementPort, "/actuator/prometheus");
		assertThat(response.statusCode()).isEqualTo(200);
		return response.body();
	}

	private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
		return this.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
				HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
	}

	private static double delta(String before, String after, String series) {
		return value(after, series) - value(before, series);
	}

	private static double value(String scrape, String series) {
		Matcher matcher = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(scrape);
		assertThat(matcher.find()).as("series %s in the scrape", series).isTrue();
		return Double.parseDouble(matcher.group(1));
	}

}
