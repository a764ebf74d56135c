package dev.wireport.web;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code /go} through a real port and a real HTTP client. Every request is logged
 * ({@code log-rate=0}): the log test must not depend on how many requests the other tests
 * sent in the same second.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "wireport.web.go.max-body-size=1KB", "wireport.web.go.log-rate=0" })
@ExtendWith(OutputCaptureExtension.class)
class GoHandlerTest {

	private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	@LocalServerPort
	private int port;

	@LocalManagementPort
	private int managementPort;

	@Autowired
	private MeterRegistry meters;

	@Autowired
	private JsonMapper jsonMapper;

	private HttpResponse<byte[]> send(HttpRequest.Builder request) throws IOException, InterruptedException {
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
	}

	private HttpRequest.Builder go(String query) {
		return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/go" + query));
	}

	@ParameterizedTest
	@ValueSource(strings = { "GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS" })
	void everyMethodGetsTheSeedsExactBytes(String method) throws Exception {
		HttpResponse<byte[]> response = send(go("").method(method, HttpRequest.BodyPublishers.ofString("body")));

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("HelloWorld".getBytes(StandardCharsets.US_ASCII));
		assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain;charset=UTF-8");
	}

	@Test
	void headAnswersWithoutABody() throws Exception {
		HttpResponse<byte[]> response = send(go("").method("HEAD", HttpRequest.BodyPublishers.noBody()));

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEmpty();
		assertThat(response.headers().firstValue("Content-Length")).hasValue("10");
	}

	@Test
	void anUnlistedMethodGets405ProblemDetailsNamingTheAllowedOnes() throws Exception {
		HttpResponse<byte[]> response = send(go("").method("PROPFIND", HttpRequest.BodyPublishers.noBody()));

		assertThat(response.statusCode()).isEqualTo(405);
		assertThat(response.headers().firstValue("Allow")).hasValue("GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS");
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(new String(response.body(), StandardCharsets.UTF_8)).contains("\"status\":405")
			.contains("\"instance\":\"/go\"")
			.contains("'PROPFIND' is not supported");
	}

	@Test
	void requestsAreTimedUnderTheirPath() throws Exception {
		send(go("?ignored=1"));

		await().atMost(Duration.ofSeconds(5))
			.until(() -> this.meters.find("http.server.requests").tag("uri", "/go").tag("status", "200").timer(),
					(timer) -> timer != null && timer.count() > 0);
		assertThat(this.meters.find("http.server.requests.active").longTaskTimer()).isNull();
	}

	@Test
	void theDispatcherServesGoAndListsItInTheMappings() throws Exception {
		HttpResponse<byte[]> response = send(
				HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.managementPort + "/actuator/mappings")));

		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode mappings = this.jsonMapper.readTree(response.body()).at("/contexts/wireport/mappings");
		assertThat(mappings.at("/dispatcherServlets/dispatcherServlet").values())
			.filteredOn((mapping) -> mapping.at("/predicate").asString().equals("/go"))
			.singleElement()
			.extracting((mapping) -> mapping.at("/details/handlerFunction/className").asString())
			.isEqualTo(GoHandler.class.getName());
		// No servlet of its own beside the dispatcher.
		assertThat(mappings.at("/servlets").values()).extracting((servlet) -> servlet.at("/name").asString())
			.containsExactly("dispatcherServlet");
	}

	@Test
	void anIpv6ClientAddressIsBracketed() throws Exception {
		HttpResponse<byte[]> response = send(HttpRequest.newBuilder(URI.create("http://[::1]:" + this.port + "/go"))
			.header("Accept", "application/json"));

		assertThat(new String(response.body(), StandardCharsets.UTF_8))
			.containsPattern("\"remoteAddress\":\"\\[0:0:0:0:0:0:0:1]:\\d+\"");
	}

	@Test
	void acceptJsonDescribesTheRequest() throws Exception {
		HttpResponse<byte[]> text = send(go("?a=1&a=2&b=x").header("Accept", "application/json")
			.header("X-Probe", "yes")
			.POST(HttpRequest.BodyPublishers.ofString("héllo")));
		HttpResponse<byte[]> binary = send(go("").header("Accept", "application/json")
			.PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[] { (byte) 0xff, 0, 1 })));

		assertThat(text.headers().firstValue("Content-Type")).hasValue("application/json");
		assertThat(new String(text.body(), StandardCharsets.UTF_8)).contains("\"method\":\"POST\"")
			.contains("\"path\":\"/go\"")
			.contains("\"query\":{\"a\":[\"1\",\"2\"],\"b\":[\"x\"]}")
			.contains("\"X-Probe\":[\"yes\"]")
			.contains("\"body\":\"héllo\",\"bodyEncoding\":\"text\",\"bodySize\":6")
			.containsPattern("\"remoteAddress\":\"127\\.0\\.0\\.1:\\d+\"");
		assertThat(new String(binary.body(), StandardCharsets.UTF_8))
			.contains("\"body\":\"/wAB\",\"bodyEncoding\":\"base64\",\"bodySize\":3");
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|',
			value = { "application/json | json", "application/json, */*;q=0.5 | json", "application/* | json",
					"text/plain, application/json;q=0.1 | text", "*/* | text", "application/json;q=0 | text",
					"image/png | text", "not a media type | text" })
	void acceptChoosesBetweenHelloWorldAndJsonByQuality(String accept, String answer) throws Exception {
		HttpResponse<byte[]> response = send(go("").header("Accept", accept));

		assertThat(response.statusCode()).isEqualTo(200);
		if (answer.equals("json")) {
			assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
			assertThat(new String(response.body(), StandardCharsets.UTF_8)).contains("\"method\":\"GET\"");
		}
		else {
			assertThat(response.body()).isEqualTo("HelloWorld".getBytes(StandardCharsets.US_ASCII));
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "PUT", "PATCH", "DELETE" })
	void aFormBodyStaysTheBodyAndIsHeldToTheLimit(String method) throws Exception {
		HttpResponse<byte[]> small = send(go("?q=1").header("Accept", "application/json")
			.header("Content-Type", "application/x-www-form-urlencoded")
			.method(method, HttpRequest.BodyPublishers.ofString("a=b&c=d")));
		HttpResponse<byte[]> large = send(go("").header("Content-Type", "application/x-www-form-urlencoded")
			.method(method, HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(new byte[4096]))));

		assertThat(new String(small.body(), StandardCharsets.UTF_8)).contains("\"query\":{\"q\":[\"1\"]}")
			.contains("\"body\":\"a=b&c=d\",\"bodyEncoding\":\"text\",\"bodySize\":7");
		assertTooLarge(large);
	}

	@Test
	void theLogShowsTheRequestWithCredentialsRedacted(CapturedOutput output) throws Exception {
		// A plain socket: the JDK's HTTP client will not send some of these headers.
		try (Socket socket = new Socket("127.0.0.1", this.port)) {
			socket.getOutputStream()
				.write(("POST /go HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer secret-token\r\n"
						+ "Cookie: session=secret-cookie\r\nSet-Cookie: id=secret-set\r\n"
						+ "Proxy-Authorization: Basic secret-proxy\r\nX-Visible: shown\r\n"
						+ "Content-Length: 17\r\nConnection: close\r\n\r\nline one\nline two")
					.getBytes(StandardCharsets.US_ASCII));
			assertThat(socket.getInputStream().readAllBytes()).asString()
				.startsWith("HTTP/1.1 200")
				.endsWith("HelloWorld");
		}

		// The line is written by the log's own thread.
		await().atMost(Duration.ofSeconds(10)).until(() -> output.toString().contains("method=POST path=/go"));
		assertThat(output).contains("method=POST path=/go")
			.contains("Authorization=[[redacted]]")
			.contains("Cookie=[[redacted]]")
			.contains("Set-Cookie=[[redacted]]")
			.contains("Proxy-Authorization=[[redacted]]")
			.contains("X-Visible=[shown]")
			.contains("body(17 bytes)=\"line one\\nline two\"")
			.doesNotContain("secret-");
	}

	@Test
	void aDeclaredBodyOverTheLimitGets413ProblemDetails() throws Exception {
		HttpResponse<byte[]> response = send(go("").POST(HttpRequest.BodyPublishers.ofByteArray(new byte[1025])));

		assertTooLarge(response);
	}

	@Test
	void aStreamedBodyOverTheLimitGets413ProblemDetails() throws Exception {
		InputStream endless = new InputStream() {
			private int left = 4096;

			@Override
			public int read() {
				return (this.left-- > 0) ? 'x' : -1;
			}
		};
		// No Content-Length: the body arrives chunked, so the limit is found while
		// reading.
		HttpResponse<byte[]> response = send(go("").POST(HttpRequest.BodyPublishers.ofInputStream(() -> endless)));

		assertTooLarge(response);
	}

	@Test
	void oversizedHeadersAreRefusedWithoutAStackTraceAndCostNothingElse() throws Exception {
		try (Socket socket = new Socket("127.0.0.1", this.port)) {
			socket.setSoTimeout(10_000);
			socket.getOutputStream()
				.write(("GET /go HTTP/1.1\r\nHost: localhost\r\nX-Huge: " + "h".repeat(64 * 1024)
						+ "\r\nConnection: close\r\n\r\n")
					.getBytes(StandardCharsets.US_ASCII));
			String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);

			assertThat(answer).startsWith("HTTP/1.1 400").doesNotContain("Exception").doesNotContain("\tat ");
		}
		HttpResponse<byte[]> next = send(go(""));
		assertThat(next.body()).isEqualTo("HelloWorld".getBytes(StandardCharsets.US_ASCII));
	}

	@Test
	void aKeepAliveClientIsNotMadeToReconnectEveryHundredRequests() throws Exception {
		// Tomcat's default closes the connection with the 100th response.
		try (Socket socket = new Socket("127.0.0.1", this.port)) {
			socket.setSoTimeout(10_000);
			InputStream in = socket.getInputStream();
			byte[] request = "GET /go HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
			for (int i = 1; i <= 250; i++) {
				socket.getOutputStream().write(request);
				String head = readHead(in);
				assertThat(head).as("response %d", i)
					.startsWith("HTTP/1.1 200")
					.doesNotContainIgnoringCase("Connection: close");
				assertThat(in.readNBytes(10)).isEqualTo("HelloWorld".getBytes(StandardCharsets.US_ASCII));
			}
		}
	}

	private static String readHead(InputStream in) throws IOException {
		StringBuilder head = new StringBuilder();
		while (head.length() < 4 || !head.substring(head.length() - 4).equals("\r\n\r\n")) {
			int b = in.read();
			assertThat(b).as("end of stream inside a response head").isNotNegative();
			head.append((char) b);
		}
		return head.toString();
	}

	private static void assertTooLarge(HttpResponse<byte[]> response) {
		assertThat(response.statusCode()).isEqualTo(413);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(new String(response.body(), StandardCharsets.UTF_8)).contains("\"status\":413")
			.contains("\"title\":\"Request body too large\"")
			.contains("larger than 1024 bytes")
			.contains("\"instance\":\"/go\"")
			.doesNotContain("Exception");
	}

}
