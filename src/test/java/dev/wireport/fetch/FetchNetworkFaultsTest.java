package dev.wireport.fetch;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import dev.wireport.WireportApplication;
import dev.wireport.netns.ChildProcess;
import dev.wireport.netns.NamespaceClient;
import dev.wireport.netns.NetworkFaults;
import dev.wireport.netns.NetworkNamespace;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Upstream servers in a network namespace that fail {@code /fetch}: one reads the request
 * and never answers, one vanishes (its link goes down) in the middle of the body. Each
 * fetch gets its error in time, no pooled connection stays leased, no thread is left
 * behind, and {@code /go} is answered throughout. The service starts in the test, once
 * the namespace exists, so that its allow-list holds the namespace's /30 and nothing
 * else.
 */
@NetworkFaults
class FetchNetworkFaultsTest {

	private static final String READ_TIMEOUT = "2s";

	private static final String TOTAL_TIMEOUT = "4s";

	private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	@Test
	void upstreamsThatNeverAnswerOrVanishMidBodyGetAnErrorInTimeAndLeakNothing(NetworkNamespace namespace)
			throws Exception {
		try (ConfigurableApplicationContext service = new SpringApplicationBuilder(WireportApplication.class).run(
				"--server.port=0", "--management.server.port=0", "--wireport.tcp.listeners.seed.port=0",
				"--wireport.tcp.listeners.framed.port=0", "--wireport.udp.listeners.seed.port=0",
				"--wireport.fetch.allow=" + namespace.subnet(), "--wireport.fetch.read-timeout=" + READ_TIMEOUT,
				"--wireport.fetch.total-timeout=" + TOTAL_TIMEOUT); HealthyGo healthy = new HealthyGo(port(service))) {
			ChildProcess silent = namespace.startJava(NamespaceClient.class, "http", "34081", "silent");
			ChildProcess partial = namespace.startJava(NamespaceClient.class, "http", "34080", "partial");
			silent.awaitLine("listening", Duration.ofSeconds(20));
			partial.awaitLine("listening", Duration.ofSeconds(20));
			MeterRegistry registry = service.getBean(MeterRegistry.class);
			int port = port(service);
			// The test's own client threads start with their first request, before the
			// count.
			CompletableFuture.supplyAsync(() -> fetchUnchecked(port, "http://" + namespace.address() + ":1/"))
				.get(30, TimeUnit.SECONDS);
			Set<String> threadsBefore = threadNames();

			long asked = System.nanoTime();
			HttpResponse<String> never = fetch(port, "http://" + namespace.address() + ":34081/");
			report("upstream never answers", asked, never);
			assertThat(never.statusCode()).as(never.body()).isEqualTo(504);

			CompletableFuture<HttpResponse<String>> midBody = CompletableFuture
				.supplyAsync(() -> fetchUnchecked(port, "http://" + namespace.address() + ":34080/"));
			partial.awaitLine("partial", Duration.ofSeconds(20));
			long down = System.nanoTime();
			namespace.linkDown();
			HttpResponse<String> vanished = midBody.get(30, TimeUnit.SECONDS);
			report("upstream vanishes mid-body", down, vanished);
			assertThat(vanished.statusCode()).as(vanished.body()).isIn(502, 504);

			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(pool(registry, "leased")).as("leased upstream connections").isZero());
			await().atMost(Duration.ofSeconds(10))
				.pollInSameThread()
				.untilAsserted(() -> assertThat(threadNames()).as("threads that were not there before")
					.isSubsetOf(threadsBefore));
			System.out.printf(
					"network fault: fetch: pool afterwards: %.0f leased, %.0f available, %.0f pending; "
							+ "threads %d before, %d after%n",
					pool(registry, "leased"), pool(registry, "available"),
					registry.get("httpcomponents.httpclient.pool.total.pending").gauge().value(), threadsBefore.size(),
					threadNames().size());
			System.out.println("network fault: fetch: /go meanwhile: " + healthy.stopAndCheck());
		}
	}

	/**
	 * The live threads, but those of the test's own clients that the JDK keeps for a
	 * while: the process reaper ({@code ip} commands) and the JDK HTTP client's workers
	 * (the service fetches with Apache's client, not the JDK's).
	 */
	private static Set<String> threadNames() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> !thread.getName().equals("process reaper")
					&& !thread.getName().startsWith("HttpClient-"))
			.map((thread) -> thread.getName() + "#" + thread.getId())
			.collect(Collectors.toSet());
	}

	private static int port(ConfigurableApplicationContext service) {
		return service.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
	}

	private static double pool(MeterRegistry registry, String state) {
		return registry.get("httpcomponents.httpclient.pool.total.connections").tag("state", state).gauge().value();
	}

	private static void report(String fault, long fromNanos, HttpResponse<String> response) {
		System.out.printf("network fault: fetch, %s: %d after %d ms: %s%n", fault, response.statusCode(),
				Duration.ofNanos(System.nanoTime() - fromNanos).toMillis(), response.body());
	}

	private HttpResponse<String> fetch(int port, String url) throws Exception {
		return this.http.send(HttpRequest
			.newBuilder(URI
				.create("http://127.0.0.1:" + port + "/fetch?url=" + URLEncoder.encode(url, StandardCharsets.UTF_8)))
			.timeout(Duration.ofSeconds(30))
			.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
	}

	private HttpResponse<String> fetchUnchecked(int port, String url) {
		try {
			return fetch(port, url);
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * A client asking {@code /go} over and over (bounded: 60 s, 1,000,000 requests),
	 * every answer checked.
	 */
	private static final class HealthyGo implements AutoCloseable {

		private final AtomicBoolean stop = new AtomicBoolean();

		private final ExecutorService thread = Executors.newSingleThreadExecutor();

		private final Future<Integer> answered;

		HealthyGo(int port) {
			HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
			HttpRequest go = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/go"))
				.timeout(Duration.ofSeconds(5))
				.build();
			long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
			this.answered = this.thread.submit(() -> {
				int count = 0;
				while (!this.stop.get() && count < 1_000_000 && System.nanoTime() < end) {
					HttpResponse<String> response = client.send(go, HttpResponse.BodyHandlers.ofString());
					assertThat(response.statusCode()).isEqualTo(200);
					assertThat(response.body()).isEqualTo("HelloWorld");
					count++;
				}
				return count;
			});
		}

		String stopAndCheck() throws Exception {
			this.stop.set(true);
			return this.answered.get(30, TimeUnit.SECONDS) + " requests, every one answered 200 HelloWorld";
		}

		@Override
		public void close() {
			this.stop.set(true);
			this.thread.shutdownNow();
		}

	}

}
