package dev.wireport.fetch;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /fetch} with the default destination policy, through a real port: loopback in
 * its many spellings is refused before any connection is attempted, which a listening
 * socket on that port, never connected to, proves.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class FetchDefaultPolicyTest {

	private static ServerSocketChannel listening;

	private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	@LocalServerPort
	private int port;

	@BeforeAll
	static void listen() throws IOException {
		listening = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
		// Non-blocking: accept() then answers at once whether anyone has connected.
		listening.configureBlocking(false);
	}

	@AfterAll
	static void close() throws IOException {
		listening.close();
	}

	@ParameterizedTest
	@ValueSource(strings = { "http://127.0.0.1:%d/", "http://localhost:%d/", "http://localhost.:%d/",
			"http://2130706433:%d/", "http://0x7f.1:%d/", "http://017700000001:%d/", "http://0177.0.0.1:%d/",
			"http://127.1:%d/", "http://[::ffff:127.0.0.1]:%d/", "https://127.0.0.1:%d/" })
	void loopbackIsRefusedBeforeAnyConnection(String template) throws Exception {
		int target = ((InetSocketAddress) listening.getLocalAddress()).getPort();
		String url = template.formatted(target);
		HttpResponse<String> response = this.http.send(HttpRequest
			.newBuilder(URI.create(
					"http://127.0.0.1:" + this.port + "/fetch?url=" + URLEncoder.encode(url, StandardCharsets.UTF_8)))
			.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));

		assertThat(response.statusCode()).isEqualTo(403);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(response.body()).contains("\"title\":\"Destination refused\"")
			.contains("(127.0.0.1) is a loopback address");
		// Had the fetcher connected, the connection would be waiting in the backlog: the
		// kernel completes the handshake without an accept().
		assertThat(listening.accept()).isNull();
	}

}
