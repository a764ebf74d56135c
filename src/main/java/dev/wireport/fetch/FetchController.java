package dev.wireport.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.wireport.payload.StrictText;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpHeaders;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The seed's HTTP client as two endpoints: {@code GET /fetch?url=} answers everything the
 * seed prints (status line, status code, headers, body) as JSON, and
 * {@code GET /fetch/raw?url=} streams the upstream body through with its content type.
 */
@RestController
class FetchController {

	private static final Logger logger = LoggerFactory.getLogger(FetchController.class);

	private final UpstreamFetcher fetcher;

	private final FetchProperties properties;

	FetchController(UpstreamFetcher fetcher, FetchProperties properties) {
		this.fetcher = fetcher;
		this.properties = properties;
	}

	/**
	 * The JSON answer of {@code /fetch}.
	 *
	 * @param url the URL asked for
	 * @param finalUrl the URL that answered, after redirects
	 * @param status the status line, e.g. {@code 200 OK}
	 * @param statusCode the status code
	 * @param headers the response headers
	 * @param body the body, as text or base64 (see {@code bodyEncoding})
	 * @param bodyEncoding {@code text} or {@code base64}
	 * @param bodySize the bytes of the body passed on
	 * @param truncated whether the body was longer than
	 * {@code wireport.fetch.max-body-size}
	 * @param redirects how many redirects were followed
	 * @param elapsedMillis how long the fetch took
	 */
	record FetchReport(String url, String finalUrl, String status, int statusCode, Map<String, List<String>> headers,
			String body, String bodyEncoding, int bodySize, boolean truncated, int redirects, long elapsedMillis) {
	}

	private record Body(byte[] bytes, boolean truncated, String contentType) {
	}

	@GetMapping(path = "/fetch", produces = MediaType.APPLICATION_JSON_VALUE)
	FetchReport fetch(@RequestParam String url) throws FetchException {
		long started = System.nanoTime();
		URI target = parse(url);
		int limit = (int) this.properties.maxBodySize().toBytes();
		UpstreamFetcher.Fetched<Body> fetched = this.fetcher.fetch(target, (response) -> {
			try (InputStream in = response.getBody()) {
				byte[] bytes = in.readNBytes(limit + 1);
				boolean truncated = bytes.length > limit;
				return new Body(truncated ? Arrays.copyOf(bytes, limit) : bytes, truncated,
						response.getHeaders().getFirst(HttpHeaders.CONTENT_TYPE));
			}
		});
		Body body = fetched.body();
		String text = asText(body);
		return new FetchReport(url, fetched.finalUrl().toString(), fetched.statusLine(), fetched.statusCode(),
				fetched.headers(), (text != null) ? text : Base64.getEncoder().encodeToString(body.bytes()),
				(text != null) ? "text" : "base64", body.bytes().length, body.truncated(), fetched.redirects(),
				TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
	}

	@GetMapping("/fetch/raw")
	void raw(@RequestParam String url, HttpServletResponse servletResponse) throws FetchException {
		URI target = parse(url);
		long limit = this.properties.maxBodySize().toBytes();
		this.fetcher.fetch(target, (response) -> {
			servletResponse.setStatus(response.getStatusCode().value());
			MediaType type = contentType(response.getHeaders().getFirst(HttpHeaders.CONTENT_TYPE));
			if (type != null) {
				servletResponse.setContentType(type.toString());
			}
			try (InputStream in = response.getBody()) {
				copy(in, servletResponse.getOutputStream(), limit, target);
			}
			return null;
		});
	}

	/**
	 * Copies the body and cuts the stream with an error past the limit: the status has
	 * already been sent, so the only way left to say the body is incomplete is to abort
	 * the response.
	 */
	private static void copy(InputStream in, OutputStream out, long limit, URI url) throws IOException {
		byte[] buffer = new byte[16 * 1024];
		long copied = 0;
		int read;
		while ((read = in.read(buffer)) >= 0) {
			if (copied + read > limit) {
				out.write(buffer, 0, (int) (limit - copied));
				throw new IOException("The body from " + url.getHost() + " exceeds " + limit + " bytes; cut");
			}
			out.write(buffer, 0, read);
			copied += read;
		}
	}

	private static URI parse(String url) throws InvalidUrlException {
		try {
			URI uri = new URI(url);
			if (!uri.isAbsolute()) {
				throw new InvalidUrlException("'" + url + "' is not an absolute URL");
			}
			return uri;
		}
		catch (URISyntaxException ex) {
			throw new InvalidUrlException("'" + url + "' is not a valid URL: " + ex.getReason());
		}
	}

	/**
	 * The body as text when its content type is textual (or absent) and it decodes
	 * cleanly; {@code null} when it must be sent as base64, also when the content type
	 * cannot be read.
	 */
	private static String asText(Body body) {
		if (body.contentType() == null) {
			return StrictText.decode(body.bytes(), StandardCharsets.UTF_8);
		}
		MediaType type = contentType(body.contentType());
		if (type == null || !isTextual(type)) {
			return null;
		}
		Charset charset = (type.getCharset() != null) ? type.getCharset() : StandardCharsets.UTF_8;
		return StrictText.decode(body.bytes(), charset);
	}

	/**
	 * An upstream {@code Content-Type}, or {@code null} when it is absent or unreadable
	 * (malformed, or naming a charset the JVM does not know): the upstream server's
	 * mistake must not fail the fetch.
	 */
	private static MediaType contentType(String header) {
		if (header == null) {
			return null;
		}
		try {
			return MediaType.parseMediaType(header);
		}
		catch (InvalidMediaTypeException ex) {
			return null;
		}
	}

	private static boolean isTextual(MediaType type) {
		String subtype = type.getSubtype();
		return type.getType().equals("text") || (type.getType().equals("application") && (subtype.equals("json")
				|| subtype.endsWith("+json") || subtype.equals("xml") || subtype.endsWith("+xml")
				|| subtype.equals("javascript") || subtype.equals("x-www-form-urlencoded")));
	}

	@ExceptionHandler(FetchException.class)
	ResponseEntity<ProblemDetail> failed(FetchException ex, HttpServletResponse response) throws FetchException {
		if (response.isCommitted()) {
			// Part of the upstream body is out: only aborting the response tells the
			// client the stream is incomplete, and rethrowing makes the server abort it.
			logger.warn("fetch/raw cut after the response started: {}", ex.getMessage());
			throw ex;
		}
		logger.info("fetch failed ({}): {}", ex.status().value(), ex.getMessage());
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(ex.status(), ex.getMessage());
		problem.setTitle(switch (ex.outcome()) {
			case "invalid" -> "Malformed URL";
			case "refused" -> "Destination refused";
			case "timeout" -> "Upstream timeout";
			default -> "Upstream unreachable";
		});
		return ResponseEntity.status(ex.status()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
	}

}
