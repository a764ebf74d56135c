package dev.wireport.web;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import dev.wireport.payload.Identification;
import dev.wireport.payload.Instance;
import dev.wireport.payload.MessageLog;
import dev.wireport.payload.Preview;
import dev.wireport.payload.StrictText;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.logging.LogLevel;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.util.CollectionUtils;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.function.HandlerFunction;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * The seed's HTTP handler: every method on {@code /go} is logged (remote address, method,
 * path, headers, body) and answered {@code HelloWorld}; with
 * {@code Accept: application/json} it answers a description of the request instead, like
 * httpbin's {@code /anything}.
 * <p>
 * A functional endpoint ({@link GoConfiguration}) rather than a {@code @RequestMapping}
 * method: the annotated mapping's lookup and the handler method's argument and return
 * value handling were 40 % of this path's CPU profile under load, for an answer that
 * needs none of them. It takes every method and refuses the unlisted ones itself, so that
 * the 405 is the same problem document as its other errors.
 */
class GoHandler implements HandlerFunction<ServerResponse> {

	private static final Logger logger = LoggerFactory.getLogger(GoHandler.class);

	static final String HELLO_WORLD = "HelloWorld";

	private static final byte[] NO_BODY = {};

	private static final byte[] HELLO_WORLD_BYTES = HELLO_WORLD.getBytes(StandardCharsets.US_ASCII);

	/** As the seed's Go server labels it. */
	private static final MediaType TEXT_PLAIN_UTF8 = MediaType.parseMediaType("text/plain;charset=UTF-8");

	/** Credentials never reach the log. */
	private static final Set<String> REDACTED = Set.of("authorization", "proxy-authorization", "cookie", "set-cookie");

	/**
	 * The methods the seed's handler answers; TRACE never gets here (the server refuses
	 * it).
	 */
	private static final List<String> METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS");

	private static final String ALLOW = String.join(", ", METHODS);

	private final GoProperties properties;

	private final MessageLog log;

	private final Instance instance;

	GoHandler(GoProperties properties, Instance instance) {
		this.properties = properties;
		this.instance = instance;
		this.log = new MessageLog(logger, LogLevel.INFO, properties.logRate(), "/go requests");
	}

	/**
	 * A request as {@code /go} describes it in JSON.
	 *
	 * @param method the method
	 * @param path the path
	 * @param query the query parameters
	 * @param headers the headers, as sent
	 * @param body the body, as text or base64 (see {@code bodyEncoding})
	 * @param bodyEncoding {@code text} or {@code base64}
	 * @param bodySize the body's size in bytes
	 * @param remoteAddress the client's address and port
	 * @param instance the instance that answered: its name (the pod's, or the host's),
	 * namespace and node, as the TCP and UDP listeners' reply {@code identify} gives them
	 */
	record RequestDescription(String method, String path, Map<String, List<String>> query,
			Map<String, List<String>> headers, String body, String bodyEncoding, int bodySize, String remoteAddress,
			Instance instance) {
	}

	@Override
	public ServerResponse handle(ServerRequest serverRequest) throws IOException {
		HttpServletRequest request = serverRequest.servletRequest();
		if (!METHODS.contains(request.getMethod())) {
			return problem(request, HttpStatus.METHOD_NOT_ALLOWED, "Method not allowed",
					"Method '" + request.getMethod() + "' is not supported; /go answers " + ALLOW);
		}
		byte[] body = readBody(request);
		if (body == null) {
			logger.warn("remote={} method={} path={} body refused: larger than {} bytes", remote(request),
					request.getMethod(), request.getRequestURI(), this.properties.maxBodySize().toBytes());
			return problem(request, HttpStatus.PAYLOAD_TOO_LARGE, "Request body too large",
					"The request body is larger than " + this.properties.maxBodySize().toBytes() + " bytes");
		}
		boolean logged = this.log.admit();
		boolean json = wantsJson(request);
		// Built once for the log line and the JSON answer; the plain answer needs
		// neither.
		boolean described = logged || json;
		Map<String, List<String>> headers = described ? headers(request) : null;
		String remote = described ? remote(request) : null;
		if (logged) {
			this.log.log("remote={} method={} path={} headers={} body({} bytes)=\"{}\"", remote, request.getMethod(),
					request.getRequestURI(), redacted(headers), body.length,
					Preview.of(body, (int) this.properties.logBodyBytes().toBytes()));
		}
		if (json) {
			String text = StrictText.decode(body, StandardCharsets.UTF_8);
			return ok(request).contentType(MediaType.APPLICATION_JSON)
				.body(new RequestDescription(request.getMethod(), request.getRequestURI(), query(request), headers,
						(text != null) ? text : Base64.getEncoder().encodeToString(body),
						(text != null) ? "text" : "base64", body.length, remote, this.instance));
		}
		if (request.getMethod().equals("OPTIONS")) {
			return ok(request).contentType(TEXT_PLAIN_UTF8).body(HELLO_WORLD_BYTES);
		}
		return HelloWorldResponse.INSTANCE;
	}

	private static ServerResponse.BodyBuilder ok(HttpServletRequest request) {
		ServerResponse.BodyBuilder ok = ServerResponse.ok();
		if (request.getMethod().equals("OPTIONS")) {
			// Otherwise the dispatcher adds its own Allow header to an OPTIONS answer,
			// naming methods (TRACE) that /go does not answer.
			ok.header(HttpHeaders.ALLOW, ALLOW);
		}
		return ok;
	}

	/**
	 * Reads the body, refusing it as soon as it is known to exceed the limit: from its
	 * declared length before any byte is read, or after one byte past the limit.
	 * @return the body, or {@code null} if it is too large
	 */
	private byte[] readBody(HttpServletRequest request) throws IOException {
		long limit = this.properties.maxBodySize().toBytes();
		long declared = request.getContentLengthLong();
		if (declared > limit) {
			return null;
		}
		// A request with neither a length nor a chunked body has none (RFC 9112, 6.3).
		// Not reading it saves the read buffer, which was 8 % of a bodiless GET's CPU.
		if (declared == 0 || (declared < 0 && request.getHeader("Transfer-Encoding") == null)) {
			return NO_BODY;
		}
		try (InputStream in = request.getInputStream()) {
			byte[] body = in.readNBytes((int) limit + 1);
			return (body.length > limit) ? null : body;
		}
	}

	private static ServerResponse problem(HttpServletRequest request, HttpStatus status, String title, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setTitle(title);
		problem.setInstance(URI.create(request.getRequestURI()));
		ServerResponse.BodyBuilder response = ServerResponse.status(status);
		if (status == HttpStatus.METHOD_NOT_ALLOWED) {
			response.header(HttpHeaders.ALLOW, ALLOW);
		}
		return response.contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
	}

	/**
	 * Whether the client prefers JSON: it names a JSON-compatible type (not just
	 * {@code *}{@code /*}) with a quality at least that of any type matching
	 * {@code text/plain}. An unreadable {@code Accept} header is ignored, as the seed's
	 * handler ignores every header, so the answer is {@code HelloWorld}.
	 */
	private static boolean wantsJson(HttpServletRequest request) {
		String accept = request.getHeader("Accept");
		if (accept == null) {
			return false;
		}
		List<MediaType> types;
		try {
			types = MediaType.parseMediaTypes(accept);
		}
		catch (InvalidMediaTypeException ex) {
			return false;
		}
		double json = quality(types,
				(type) -> !type.isWildcardType() && type.isCompatibleWith(MediaType.APPLICATION_JSON));
		double text = quality(types, (type) -> type.isCompatibleWith(MediaType.TEXT_PLAIN));
		return json > 0 && json >= text;
	}

	private static double quality(List<MediaType> types, Predicate<MediaType> matching) {
		return types.stream().filter(matching).mapToDouble(MediaType::getQualityValue).max().orElse(0);
	}

	/**
	 * The client's address and port, an IPv6 address in brackets ({@code [::1]:5000}) so
	 * that the port stays readable.
	 */
	private static String remote(HttpServletRequest request) {
		return Identification.address(request.getRemoteAddr(), request.getRemotePort());
	}

	private static Map<String, List<String>> headers(HttpServletRequest request) {
		Map<String, List<String>> headers = new LinkedHashMap<>();
		for (String name : Collections.list(request.getHeaderNames())) {
			headers.put(name, Collections.list(request.getHeaders(name)));
		}
		return headers;
	}

	private static Map<String, List<String>> redacted(Map<String, List<String>> headers) {
		Map<String, List<String>> safe = new LinkedHashMap<>();
		headers.forEach((name, values) -> safe.put(name,
				REDACTED.contains(name.toLowerCase(Locale.ROOT)) ? List.of("[redacted]") : values));
		return safe;
	}

	/**
	 * The query string's parameters only: the body has been read as a stream before this
	 * runs, so the container no longer parses a form body into parameters, and the form
	 * content filter that would read PUT, PATCH and DELETE form bodies ahead of this
	 * handler is switched off.
	 */
	private static Map<String, List<String>> query(HttpServletRequest request) {
		Map<String, List<String>> query = new LinkedHashMap<>();
		request.getParameterMap().forEach((name, values) -> query.put(name, List.of(values)));
		return query;
	}

	/**
	 * The plain answer, the same for every request, written straight to the servlet
	 * response: a response built per request checks the conditional request headers,
	 * looks for a message converter and parses the content type back from the response,
	 * about a tenth of this path's CPU under load for ten constant bytes.
	 */
	private static final class HelloWorldResponse implements ServerResponse {

		static final HelloWorldResponse INSTANCE = new HelloWorldResponse();

		private static final String CONTENT_TYPE = TEXT_PLAIN_UTF8.toString();

		private static final MultiValueMap<String, Cookie> NO_COOKIES = CollectionUtils
			.unmodifiableMultiValueMap(new LinkedMultiValueMap<>());

		private final HttpHeaders headers;

		private HelloWorldResponse() {
			HttpHeaders headers = new HttpHeaders();
			headers.setContentType(TEXT_PLAIN_UTF8);
			headers.setContentLength(HELLO_WORLD_BYTES.length);
			this.headers = HttpHeaders.readOnlyHttpHeaders(headers);
		}

		@Override
		public HttpStatusCode statusCode() {
			return HttpStatus.OK;
		}

		@Override
		public HttpHeaders headers() {
			return this.headers;
		}

		@Override
		public MultiValueMap<String, Cookie> cookies() {
			return NO_COOKIES;
		}

		@Override
		public ModelAndView writeTo(HttpServletRequest request, HttpServletResponse response, Context context)
				throws IOException {
			response.setStatus(HttpServletResponse.SC_OK);
			response.setContentType(CONTENT_TYPE);
			response.setContentLength(HELLO_WORLD_BYTES.length);
			response.getOutputStream().write(HELLO_WORLD_BYTES);
			return null;
		}

	}

}
