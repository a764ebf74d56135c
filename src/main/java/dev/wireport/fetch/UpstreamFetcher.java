package dev.wireport.fetch;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.http.client.HttpComponentsClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;

/**
 * Fetches a URL with Spring's {@link RestClient}, GET only, following redirects itself so
 * that every hop passes the {@link DestinationPolicy}. The client comes from Spring
 * Boot's builder (its observations and customizers apply) and runs on the one pooled HTTP
 * client of {@link FetchConfiguration}, which resolves names only through the policy.
 */
@Component
class UpstreamFetcher {

	private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);

	private final DestinationPolicy policy;

	private final FetchProperties properties;

	private final RestClient client;

	UpstreamFetcher(DestinationPolicy policy, FetchProperties properties, RestClient.Builder builder,
			CloseableHttpClient upstreamHttpClient) {
		this.policy = policy;
		this.properties = properties;
		HttpComponentsClientHttpRequestFactory requestFactory = new HttpComponentsClientHttpRequestFactory(
				upstreamHttpClient);
		requestFactory.setReadTimeout(properties.readTimeout());
		// A fetch that finds every pooled connection busy waits no longer than it would
		// wait to connect.
		requestFactory.setConnectionRequestTimeout(properties.connectTimeout());
		this.client = builder.requestFactory(requestFactory)
			.defaultHeader(HttpHeaders.USER_AGENT, properties.userAgent())
			.build();
	}

	/**
	 * Reads an upstream response's body; runs while the response is open.
	 *
	 * @param <T> what it makes of the body
	 */
	@FunctionalInterface
	interface BodyReader<T> {

		T read(ClientHttpResponse response) throws IOException;

	}

	/**
	 * The final response of a fetch.
	 *
	 * @param <T> what the reader made of the body
	 * @param finalUrl the URL that answered, after redirects
	 * @param statusCode the status code
	 * @param statusLine the status code and reason phrase, e.g. {@code 200 OK}
	 * @param headers the response headers
	 * @param body what the reader made of the body
	 * @param redirects how many redirects were followed
	 */
	record Fetched<T>(URI finalUrl, int statusCode, String statusLine, Map<String, List<String>> headers, T body,
			int redirects) {
	}

	/**
	 * One exchange: either a redirect's {@code Location} as sent, or the final response.
	 */
	private record Hop<T>(String location, Fetched<T> fetched) {
	}

	<T> Fetched<T> fetch(URI url, BodyReader<T> reader) throws FetchException {
		long deadline = System.nanoTime() + this.properties.totalTimeout().toNanos();
		URI current = url;
		for (int redirects = 0;; redirects++) {
			DestinationPolicy.Destination destination = this.policy.check(current);
			Hop<T> hop = exchange(destination, reader, redirects, deadline);
			if (hop.location() == null) {
				return hop.fetched();
			}
			if (redirects >= this.properties.maxRedirects()) {
				throw FetchException.upstream("more than " + this.properties.maxRedirects() + " redirects", null);
			}
			current = redirectTarget(destination.url(), hop.location());
		}
	}

	/**
	 * Where a redirect leads; an unreadable {@code Location} is the upstream server's
	 * fault, so a 502 rather than a 500.
	 */
	private static URI redirectTarget(URI from, String location) throws FetchException {
		try {
			return from.resolve(new URI(location));
		}
		catch (URISyntaxException ex) {
			throw FetchException.upstream(
					"the redirect from " + from.getHost() + " has an invalid Location header: " + ex.getReason(), null);
		}
	}

	private <T> Hop<T> exchange(DestinationPolicy.Destination destination, BodyReader<T> reader, int redirects,
			long deadline) throws FetchException {
		URI url = destination.url();
		if (deadline - System.nanoTime() <= 0) {
			throw totalTimeoutPassed(null);
		}
		try {
			// Not closed by the client: closing it would read what is left of the body.
			return this.client.get().uri(url).exchange((request, response) -> {
				try (DeadlineResponse upstream = new DeadlineResponse(response, deadline)) {
					int status = upstream.getStatusCode().value();
					String location = upstream.getHeaders().getFirst(HttpHeaders.LOCATION);
					if (REDIRECTS.contains(status) && location != null) {
						return new Hop<>(location, null);
					}
					return new Hop<>(null, new Fetched<>(url, status, statusLine(upstream), headers(upstream),
							reader.read(upstream), redirects));
				}
			}, false);
		}
		catch (ResourceAccessException ex) {
			throw failure(destination, ex);
		}
	}

	private FetchException totalTimeoutPassed(Exception cause) {
		return FetchException.timeout(
				"the fetch took longer than the total timeout of " + this.properties.totalTimeout().toMillis() + "ms",
				cause);
	}

	private FetchException failure(DestinationPolicy.Destination destination, ResourceAccessException ex) {
		String host = destination.url().getHost();
		for (Throwable cause = ex.getCause(); cause != null; cause = cause.getCause()) {
			if (cause instanceof PolicyDnsResolver.Refused refused) {
				return refused.reason();
			}
			if (cause instanceof DeadlineResponse.Expired) {
				return totalTimeoutPassed(ex);
			}
			if (cause instanceof InterruptedIOException) {
				return FetchException.timeout(host + " did not answer in time", ex);
			}
		}
		Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
		return FetchException.upstream("cannot fetch from " + host + " (" + destination.address().getHostAddress()
				+ "): " + cause.getClass().getSimpleName()
				+ ((cause.getMessage() != null) ? ": " + cause.getMessage() : ""), ex);
	}

	private static String statusLine(ClientHttpResponse response) throws IOException {
		int code = response.getStatusCode().value();
		HttpStatus known = HttpStatus.resolve(code);
		String reason = (known != null) ? known.getReasonPhrase() : response.getStatusText();
		return (reason == null || reason.isBlank()) ? String.valueOf(code) : code + " " + reason;
	}

	private static Map<String, List<String>> headers(ClientHttpResponse response) {
		Map<String, List<String>> headers = new LinkedHashMap<>();
		response.getHeaders().forEach((name, values) -> headers.put(name, List.copyOf(values)));
		return headers;
	}

}
