package dev.wireport.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a user of a deployed wireport sees, checked from outside: the same checks for the
 * packaged jar and for the container image.
 */
final class ServiceChecks {

	static final String TCP_ACK = "server接收消息成功";

	static final String UDP_ACK = "server接收数据成功";

	private final String host;

	ServiceChecks(String host) {
		this.host = host;
	}

	void tcpAcks(int seedPort, int framedPort) throws IOException {
		byte[] ack = TCP_ACK.getBytes(StandardCharsets.UTF_8);
		try (Socket seed = socket(seedPort); Socket framed = socket(framedPort)) {
			seed.getOutputStream().write("hello".getBytes(StandardCharsets.UTF_8));
			framed.getOutputStream().write("hello\n".getBytes(StandardCharsets.UTF_8));
			assertThat(seed.getInputStream().readNBytes(ack.length)).isEqualTo(ack);
			assertThat(framed.getInputStream().readNBytes(ack.length + 1)).asString(StandardCharsets.UTF_8)
				.isEqualTo(TCP_ACK + "\n");
		}
	}

	void udpAck(int port) throws IOException {
		try (DatagramSocket client = new DatagramSocket()) {
			client.connect(new InetSocketAddress(this.host, port));
			client.setSoTimeout(5000);
			byte[] message = "Hello server!!!".getBytes(StandardCharsets.UTF_8);
			client.send(new DatagramPacket(message, message.length));
			DatagramPacket reply = new DatagramPacket(new byte[100], 100);
			client.receive(reply);
			assertThat(Arrays.copyOf(reply.getData(), reply.getLength())).asString(StandardCharsets.UTF_8)
				.isEqualTo(UDP_ACK);
		}
	}

	void helloWorld(int httpPort) throws IOException, InterruptedException {
		HttpResponse<String> response = get(httpPort, "/go");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("HelloWorld");
	}

	boolean ready(int httpPort) {
		try {
			HttpResponse<String> response = get(httpPort, "/readyz");
			return response.statusCode() == 200 && response.body().contains("\"status\":\"UP\"");
		}
		catch (IOException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	Socket socket(int port) throws IOException {
		Socket socket = new Socket();
		socket.connect(new InetSocketAddress(this.host, port), 5000);
		socket.setSoTimeout(10_000);
		return socket;
	}

	private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
		HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
		return http.send(HttpRequest.newBuilder(URI.create("http://" + this.host + ":" + port + path)).build(),
				HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
	}

	static String readAll(InputStream in) throws IOException {
		return new String(in.readAllBytes(), StandardCharsets.UTF_8);
	}

}
