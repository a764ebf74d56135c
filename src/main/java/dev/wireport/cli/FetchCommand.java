package dev.wireport.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.time.Duration;

import org.springframework.http.HttpStatus;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;

/**
 * The seed's HTTP client: fetches a URL and prints the status line, the status code, the
 * headers and the body, the body cut at {@code --max-bytes}.
 */
final class FetchCommand extends Command {

	FetchCommand() {
		super("fetch", "[options] <url>",
				"Fetches a URL with GET and prints status line, status code, headers and body.",
				new Options.Option("max-bytes", "1048576", "body bytes printed at most"),
				new Options.Option("timeout", "10s", "connect and read timeout"));
	}

	@Override
	void run(Options options, Io io) throws Exception {
		if (options.positional().size() != 1) {
			throw CommandException.usage("expects exactly one URL");
		}
		URI url = parse(options.positional().get(0));
		int maxBytes = options.number("max-bytes", 0, Integer.MAX_VALUE - 8);
		Duration timeout = options.duration("timeout");
		HttpClient client = HttpClient.newBuilder()
			.connectTimeout(timeout)
			.followRedirects(HttpClient.Redirect.NORMAL)
			// HTTP/1.1 like the seed's client: no cleartext HTTP/2 upgrade attempt.
			.version(HttpClient.Version.HTTP_1_1)
			.build();
		JdkClientHttpRequestFactory requestFactory = new JdkClientHttpRequestFactory(client);
		requestFactory.setReadTimeout(timeout);
		RestClient restClient = RestClient.builder().requestFactory(requestFactory).build();
		try {
			restClient.get().uri(url).exchange((request, response) -> {
				HttpStatus known = HttpStatus.resolve(response.getStatusCode().value());
				String reason = (known != null) ? known.getReasonPhrase() : response.getStatusText();
				io.out().println(response.getStatusCode().value() + " " + reason);
				io.out().println(response.getStatusCode().value());
				response.getHeaders()
					.forEach((name, values) -> values.forEach((value) -> io.out().println(name + ": " + value)));
				io.out().println();
				copyBody(response.getBody(), maxBytes, io);
				return null;
			});
		}
		catch (ResourceAccessException ex) {
			Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
			throw new CommandException("cannot fetch " + url + ": " + cause.getClass().getSimpleName()
					+ ((cause.getMessage() != null) ? ": " + cause.getMessage() : ""), ex);
		}
	}

	private static URI parse(String text) throws CommandException {
		try {
			URI url = new URI(text);
			if (!"http".equalsIgnoreCase(url.getScheme()) && !"https".equalsIgnoreCase(url.getScheme())
					|| url.getHost() == null) {
				throw CommandException.usage("not an http or https URL: " + text);
			}
			return url;
		}
		catch (URISyntaxException ex) {
			throw CommandException.usage("not a valid URL: " + ex.getMessage());
		}
	}

	private static void copyBody(InputStream body, int maxBytes, Io io) throws IOException {
		byte[] shown = body.readNBytes(maxBytes);
		io.out().write(shown);
		io.out().println();
		io.out().flush();
		if (body.read() >= 0) {
			io.err().println("fetch: body cut at " + maxBytes + " bytes (--max-bytes)");
		}
	}

}
