package dev.wireport.fetch;

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

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An HTTPS upstream whose self-signed certificate no JDK trust store holds is fetched
 * when {@code wireport.fetch.ssl.bundle} names a bundle that trusts it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "wireport.fetch.allow-private-addresses=true", "wireport.fetch.ssl.bundle=upstream" })
class FetchSslBundleTest {

	@TempDir
	static Path directory;

	private static TlsUpstream upstream;

	private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	@LocalServerPort
	private int port;

	@BeforeAll
	static void startUpstream() throws Exception {
		upstream = new TlsUpstream(directory);
	}

	@AfterAll
	static void stopUpstream() {
		upstream.close();
	}

	@DynamicPropertySource
	static void trustTheUpstream(DynamicPropertyRegistry properties) {
		properties.add("spring.ssl.bundle.jks.upstream.truststore.location",
				() -> upstream.keyStore().toUri().toString());
		properties.add("spring.ssl.bundle.jks.upstream.truststore.password", () -> TlsUpstream.PASSWORD);
		properties.add("spring.ssl.bundle.jks.upstream.truststore.type", () -> "PKCS12");
	}

	@Test
	void anUpstreamTheBundleTrustsIsFetched() throws Exception {
		String url = "https://localhost:" + upstream.port() + "/";
		HttpResponse<String> response = this.http.send(HttpRequest
			.newBuilder(URI.create(
					"http://127.0.0.1:" + this.port + "/fetch?url=" + URLEncoder.encode(url, StandardCharsets.UTF_8)))
			.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("\"finalUrl\":\"" + url + "\"").contains("\"statusCode\":200");
	}

}
