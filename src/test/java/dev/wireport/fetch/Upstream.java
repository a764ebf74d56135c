package dev.wireport.fetch;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP server on a loopback ephemeral port, for the fetcher to fetch from.
 */
final class Upstream implements AutoCloseable {

	final HttpServer server;

	private static final int TRICKLE_BYTES = 50;

	/** Paces the trickling endpoint's bytes. */
	private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();

	/** Released by a test to let the slow endpoint answer. */
	final CountDownLatch slowRelease = new CountDownLatch(1);

	Upstream() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		this.server.createContext("/text", (exchange) -> {
			exchange.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
			exchange.getResponseHeaders().add("X-Upstream", "one");
			exchange.getResponseHeaders().add("X-Upstream", "two");
			send(exchange, 200, "héllo upstream".getBytes(StandardCharsets.UTF_8));
		});
		this.server.createContext("/binary", (exchange) -> {
			exchange.getResponseHeaders().add("Content-Type", "application/octet-stream");
			send(exchange, 200, new byte[] { (byte) 0xff, 0, 1, 2 });
		});
		this.server.createContext("/chunked", (exchange) -> {
			exchange.getResponseHeaders().add("Content-Type", "text/plain");
			exchange.sendResponseHeaders(200, 0);
			try (OutputStream out = exchange.getResponseBody()) {
				for (int i = 0; i < 5; i++) {
					out.write(("chunk " + i + "\n").getBytes(StandardCharsets.US_ASCII));
					out.flush();
				}
			}
		});
		this.server.createContext("/big", (exchange) -> {
			exchange.getResponseHeaders().add("Content-Type", "text/plain");
			send(exchange, 200, "x".repeat(40_000).getBytes(StandardCharsets.US_ASCII));
		});
		this.server.createContext("/missing", (exchange) -> send(exchange, 404, new byte[0]));
		this.server.createContext("/redirect/", (exchange) -> {
			int left = Integer.parseInt(exchange.getRequestURI().getPath().substring("/redirect/".length()));
			exchange.getResponseHeaders().add("Location", (left > 0) ? "/redirect/" + (left - 1) : "/text");
			send(exchange, 302, new byte[0]);
		});
		this.server.createContext("/to", (exchange) -> {
			exchange.getResponseHeaders().add("Location", exchange.getRequestURI().getQuery());
			send(exchange, 307, new byte[0]);
		});
		this.server.createContext("/bad-location", (exchange) -> {
			exchange.getResponseHeaders().add("Location", "http://exa mple.com/");
			send(exchange, 302, new byte[0]);
		});
		this.server.createContext("/odd-type", (exchange) -> {
			exchange.getResponseHeaders().add("Content-Type", "text/plain; charset=no-such-charset");
			send(exchange, 200, "odd".getBytes(StandardCharsets.US_ASCII));
		});
		this.server.createContext("/agent", (exchange) -> {
			exchange.getResponseHeaders().add("Content-Type", "text/plain");
			send(exchange, 200, exchange.getRequestHeaders().getFirst("User-Agent").getBytes(StandardCharsets.UTF_8));
		});
		this.server.createContext("/slow", (exchange) -> {
			try {
				this.slowRelease.await(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			send(exchange, 200, "late".getBytes(StandardCharsets.US_ASCII));
		});
		this.server.createContext("/trickle", (exchange) -> {
			// A byte every 100 ms, for at most 5 s: each read is quick, the body is not.
			exchange.getResponseHeaders().add("Content-Type", "text/plain");
			exchange.sendResponseHeaders(200, TRICKLE_BYTES);
			OutputStream out = exchange.getResponseBody();
			CountDownLatch ended = new CountDownLatch(TRICKLE_BYTES);
			ScheduledFuture<?> ticks = this.ticker.scheduleAtFixedRate(() -> {
				try {
					out.write('x');
					out.flush();
					ended.countDown();
				}
				catch (IOException ex) {
					// The fetcher gave up, as it should: nothing more to send.
					while (ended.getCount() > 0) {
						ended.countDown();
					}
				}
			}, 0, 100, TimeUnit.MILLISECONDS);
			try {
				ended.await(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			finally {
				ticks.cancel(false);
				exchange.close();
			}
		});
		this.server.setExecutor(Executors.newCachedThreadPool());
		this.server.start();
	}

	String url(String path) {
		return "http://127.0.0.1:" + this.server.getAddress().getPort() + path;
	}

	private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
		exchange.sendResponseHeaders(status, (body.length == 0) ? -1 : body.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(body);
		}
	}

	@Override
	public void close() {
		this.slowRelease.countDown();
		this.ticker.shutdownNow();
		this.server.stop(0);
	}

}
