package dev.wireport.fetch;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

/**
 * {@code /fetch} and {@code /fetch/raw} against a real HTTP server on loopback, which a
 * test property allows.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "wireport.fetch.allow-private-addresses=true", "wireport.fetch.read-timeout=500ms",
				"wireport.fetch.total-timeout=1s", "wireport.fetch.max-body-size=16KB" })
class FetchControllerTest {

	private static Upstream upstream;

	private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	@LocalServerPort
	private int port;

	@LocalManagementPort
	private int managementPort;

	@BeforeAll
	static void startUpstream() throws IOException {
		upstream = new Upstream();
	}

	@AfterAll
	static void stopUpstream() {
		upstream.close();
	}

	private HttpResponse<String> fetch(String endpoint, String url) throws IOException, InterruptedException {
		return this.http.send(
				HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + endpoint + "?url="
						+ URLEncoder.encode(url, StandardCharsets.UTF_8)))
					.build(),
				HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
	}

	@Test
	void reportsStatusHeadersAndATextBody() throws Exception {
		HttpResponse<String> response = fetch("/fetch", upstream.url("/text"));

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("\"url\":\"" + upstream.url("/text") + "\"")
			.contains("\"finalUrl\":\"" + upstream.url("/text") + "\"")
			.contains("\"status\":\"200 OK\",\"statusCode\":200")
			.contains("\"X-upstream\":[\"one\",\"two\"]")
			.contains("\"body\":\"héllo upstream\",\"bodyEncoding\":\"text\",\"bodySize\":15,\"truncated\":false")
			.contains("\"redirects\":0")
			.containsPattern("\"elapsedMillis\":\\d+");
	}

	@Test
	void fetchesAreTimedByTheHttpClientObservation() throws Exception {
		fetch("/fetch", upstream.url("/text"));

		HttpResponse<String> scrape = this.http
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.managementPort + "/actuator/prometheus"))
				.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
		assertThat(scrape.body()).containsPattern(
				"(?m)^http_client_requests_seconds_count\\{[^}]*client_name=\"upstream\"[^}]*status=\"200\"[^}]*} [1-9]");
	}

	@Test
	void sendsItsUserAgent() throws Exception {
		assertThat(fetch("/fetch", upstream.url("/agent")).body()).contains("\"body\":\"wireport/0.1 (fetch)\"");
	}

	@Test
	void reportsABinaryBodyAsBase64() throws Exception {
		assertThat(fetch("/fetch", upstream.url("/binary")).body())
			.contains("\"body\":\"/wABAg==\",\"bodyEncoding\":\"base64\",\"bodySize\":4");
	}

	@Test
	void readsAChunkedBody() throws Exception {
		assertThat(fetch("/fetch", upstream.url("/chunked")).body())
			.contains("\"body\":\"chunk 0\\nchunk 1\\nchunk 2\\nchunk 3\\nchunk 4\\n\"");
	}

	@Test
	void passesAnUpstreamErrorStatusOn() throws Exception {
		HttpResponse<String> response = fetch("/fetch", upstream.url("/missing"));

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("\"status\":\"404 Not Found\",\"statusCode\":404");
	}

	@Test
	void followsRedirectsUpToTheLimit() throws Exception {
		assertThat(fetch("/fetch", upstream.url("/redirect/4")).body())
			.contains("\"finalUrl\":\"" + upstream.url("/text") + "\"")
			.contains("\"redirects\":5");
	}

	@ParameterizedTest
	@CsvSource({ "/redirect/5, more than 5 redirects", "/bad-location, invalid Location header" })
	void aRedirectThatCannotBeFollowedIs502(String path, String detail) throws Exception {
		HttpResponse<String> response = fetch("/fetch", upstream.url(path));

		assertThat(response.statusCode()).isEqualTo(502);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(response.body()).contains(detail);
	}

	@Test
	void checksEveryRedirectHop() throws Exception {
		HttpResponse<String> response = fetch("/fetch", upstream.url("/to?http://169.254.169.254/latest/meta-data"));

		assertThat(response.statusCode()).isEqualTo(403);
		assertThat(response.body()).contains("169.254.169.254").contains("link-local");
	}

	@Test
	void anUnreadableContentTypeIsPassedOnAsBytes() throws Exception {
		HttpResponse<String> json = fetch("/fetch", upstream.url("/odd-type"));
		HttpResponse<String> raw = fetch("/fetch/raw", upstream.url("/odd-type"));

		assertThat(json.statusCode()).isEqualTo(200);
		assertThat(json.body()).contains("\"body\":\"b2Rk\",\"bodyEncoding\":\"base64\",\"bodySize\":3");
		assertThat(raw.statusCode()).isEqualTo(200);
		assertThat(raw.headers().firstValue("Content-Type")).isEmpty();
		assertThat(raw.body()).isEqualTo("odd");
	}

	@Test
	void truncatesTheJsonBodyAtTheCap() throws Exception {
		assertThat(fetch("/fetch", upstream.url("/big")).body()).contains("\"bodySize\":16384,\"truncated\":true");
	}

	@Test
	void aSlowUpstreamHitsTheReadTimeout() throws Exception {
		HttpResponse<String> response = fetch("/fetch", upstream.url("/slow"));

		assertThat(response.statusCode()).isEqualTo(504);
		assertThat(response.body()).contains("\"title\":\"Upstream timeout\"");
	}

	@Test
	void anUpstreamTricklingItsBodyHitsTheTotalTimeout() throws Exception {
		HttpResponse<String> response = fetch("/fetch", upstream.url("/trickle"));

		assertThat(response.statusCode()).isEqualTo(504);
		assertThat(response.body()).contains("the fetch took longer than the total timeout of 1000ms");
	}

	@Test
	void anUnreachableUpstreamIs502() throws Exception {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0)) {
			closedPort = socket.getLocalPort();
		}
		HttpResponse<String> response = fetch("/fetch", "http://127.0.0.1:" + closedPort + "/");

		assertThat(response.statusCode()).isEqualTo(502);
		assertThat(response.body()).contains("\"title\":\"Upstream unreachable\"");
	}

	@Test
	void anUpstreamCertificateTheJdkDoesNotTrustIs502(@TempDir Path directory) throws Exception {
		try (TlsUpstream tls = new TlsUpstream(directory)) {
			HttpResponse<String> response = fetch("/fetch", "https://localhost:" + tls.port() + "/");

			assertThat(response.statusCode()).isEqualTo(502);
			assertThat(response.body()).contains("\"title\":\"Upstream unreachable\"")
				.contains("SSLHandshakeException");
		}
	}

	@Test
	void aMalformedUrlIs400() throws Exception {
		HttpResponse<String> response = fetch("/fetch", "http://exa mple.com/");

		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.body()).contains("\"title\":\"Malformed URL\"");
	}

	@Test
	void rawStreamsTheBodyWithItsContentType() throws Exception {
		HttpResponse<String> response = fetch("/fetch/raw", upstream.url("/text"));

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain;charset=utf-8");
		assertThat(response.body()).isEqualTo("héllo upstream");
	}

	@Test
	void rawCutsABodyOverTheCapWithAnError() {
		// 16KB is more than the server buffers, so the response has started: the client
		// sees the stream break instead of a complete body.
		assertThatIOException().isThrownBy(() -> fetch("/fetch/raw", upstream.url("/big")));
	}

	@Test
	void rawRefusesBeforeStreaming() throws Exception {
		HttpResponse<String> response = fetch("/fetch/raw", "http://169.254.169.254/");

		assertThat(response.statusCode()).isEqualTo(403);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
	}

}
