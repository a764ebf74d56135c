package dev.wireport.tcp;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;

import dev.wireport.netns.ChildProcess;
import dev.wireport.netns.HealthyLoad;
import dev.wireport.netns.NamespaceClient;
import dev.wireport.netns.NetworkFaults;
import dev.wireport.netns.NetworkNamespace;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetric;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Real network faults between a client in a network namespace and the listener, while
 * healthy clients load the same listener over 127.0.0.1: each fault is noticed, freed and
 * counted, and costs the healthy clients nothing. The times the service took to notice
 * are printed (docs/reliability.md), not asserted.
 */
@NetworkFaults
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "wireport.tcp.listeners.storm.port=0", "wireport.tcp.listeners.storm.framing=lf",
				"wireport.tcp.listeners.storm.max-connections=" + TcpNetworkFaultsTest.STORM_LIMIT,
				"wireport.tcp.listeners.storm.log-level=off", "wireport.udp.listeners.seed.port=0",
				"wireport.tcp.listeners.seed.port=0", "wireport.tcp.listeners.framed.port=0",
				"wireport.tcp.listeners.faulty.port=0", "wireport.tcp.listeners.faulty.framing=lf",
				"wireport.tcp.listeners.faulty.reply=echo", "wireport.tcp.listeners.faulty.log-level=off",
				"wireport.tcp.listeners.faulty.idle-timeout=30s", "wireport.tcp.listeners.faulty.write-timeout=2s",
				"wireport.tcp.listeners.faulty.keep-alive-idle=1s",
				"wireport.tcp.listeners.faulty.keep-alive-interval=1s",
				"wireport.tcp.listeners.faulty.keep-alive-count=2" })
class TcpNetworkFaultsTest {

	private static final String LISTENER = "faulty";

	private static final Duration FLAP = Duration.ofMillis(500);

	private static final int HEALTHY_CLIENTS = 4;

	/** About as many answers as the healthy clients get during one of the faults. */
	private static final int BASELINE_ANSWERS = 50_000;

	static final int STORM_LIMIT = 5000;

	private static final int STORM_CONNECTS = 20_000;

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	private int httpPort;

	@Autowired
	private TcpListeners listeners;

	@Autowired
	private MeterRegistry registry;

	private double count(String meter) {
		return count(meter, LISTENER);
	}

	private double count(String meter, String listener) {
		return this.registry.get(meter).tag("listener", listener).counter().count();
	}

	private double gauge(String meter) {
		return this.registry.get(meter).tag("listener", LISTENER).gauge().value();
	}

	private void awaitConnections(String listener, int open) {
		await().atMost(Duration.ofSeconds(10))
			.alias(listener + " with " + open + " connections: " + meters(listener))
			.until(() -> this.listeners.activeConnections(listener) == open);
	}

	private String meters(String listener) {
		return this.registry.find("wireport.tcp.connections.active").tag("listener", listener).gauge().value()
				+ " active, "
				+ Search.in(this.registry)
					.name((name) -> name.startsWith("wireport.tcp.connections"))
					.tag("listener", listener)
					.counters()
					.stream()
					.map((counter) -> counter.getId().getName() + "=" + counter.count())
					.toList();
	}

	/**
	 * The healthy clients, on the echoing listener, once no other connection is open.
	 */
	private HealthyLoad startHealthyClients() {
		awaitConnections(LISTENER, 0);
		return HealthyClients.start(port(), HEALTHY_CLIENTS, null);
	}

	private int port() {
		return this.listeners.port(LISTENER);
	}

	/**
	 * Starts a peer in the namespace that talks to the listener, and waits until it is
	 * ready.
	 */
	private ChildProcess startPeer(NetworkNamespace namespace, String ready, String part, String... more)
			throws IOException {
		List<String> args = new ArrayList<>(List.of(part, namespace.rootAddress(), String.valueOf(port())));
		args.addAll(List.of(more));
		ChildProcess peer = namespace.startJava(NamespaceClient.class, args.toArray(String[]::new));
		peer.awaitLine(ready, Duration.ofSeconds(20));
		return peer;
	}

	private static void report(String fault, long fromNanos, String what) {
		System.out.printf("network fault: %s: %s after %d ms%n", fault, what,
				Duration.ofNanos(System.nanoTime() - fromNanos).toMillis());
	}

	/**
	 * No fault: the same healthy clients on the same listener, for about as many answers
	 * as they get during a fault. Their longest wait here is the pause the service and
	 * this test's JVM (the service and the clients share it) cause without any fault,
	 * against which the faults' are read (docs/reliability.md).
	 */
	@Test
	void withoutAFaultTheHealthyClientsWaitAsLongAsTheLoadMakesThem() throws Exception {
		try (HealthyLoad healthy = startHealthyClients()) {
			await().atMost(Duration.ofSeconds(60)).until(() -> healthy.answered() >= BASELINE_ANSWERS);
			System.out.println("network fault: none (baseline): healthy clients: " + healthy.stopAndCheck());
		}
	}

	/**
	 * The flooding client of the vanish-while-reading case, but its link stays up: what
	 * its flood alone costs the healthy clients, to tell from what the vanish adds.
	 */
	@Test
	void aFloodingClientAloneCostsTheHealthyClientsTheirTurns(NetworkNamespace namespace) throws Exception {
		try (HealthyLoad healthy = startHealthyClients()) {
			ChildProcess client = startPeer(namespace, "flowing", "flood", "reading");
			long flowing = healthy.answered();
			await().atMost(Duration.ofSeconds(60)).until(() -> healthy.answered() - flowing >= BASELINE_ANSWERS);
			assertThat(this.listeners.activeConnections(LISTENER)).isEqualTo(HEALTHY_CLIENTS + 1);
			System.out
				.println("network fault: none, beside a flooding client: healthy clients: " + healthy.stopAndCheck());
			client.process().destroy();
		}
	}

	/**
	 * The client's link goes down after a conversation, with nothing owed either way: no
	 * FIN, no reset, just silence. Keep-alive finds it gone.
	 */
	@Test
	void aClientThatVanishesIsFoundByKeepAliveAndFreed(NetworkNamespace namespace) throws Exception {
		try (HealthyLoad healthy = startHealthyClients()) {
			ChildProcess client = startPeer(namespace, "conversing", "converse", "100");
			assertThat(this.listeners.activeConnections(LISTENER)).isEqualTo(HEALTHY_CLIENTS + 1);
			double lostBefore = count("wireport.tcp.connections.lost");
			double closedBefore = count("wireport.tcp.connections.closed");

			long down = System.nanoTime();
			namespace.linkDown();

			await().atMost(Duration.ofSeconds(30)).until(() -> count("wireport.tcp.connections.lost") > lostBefore);
			report("vanish", down, "connection lost (keep-alive unanswered), counted in wireport.tcp.connections.lost");
			// Counted when noticed, released a moment later on the connection's event
			// loop.
			awaitConnections(LISTENER, HEALTHY_CLIENTS);
			assertThat(count("wireport.tcp.connections.lost") - lostBefore).isEqualTo(1);
			assertThat(count("wireport.tcp.connections.closed") - closedBefore).isEqualTo(1);
			System.out.println("network fault: vanish: healthy clients: " + healthy.stopAndCheck());
		}
	}

	/**
	 * The client sends as fast as it can and never reads, then its link goes down: the
	 * replies owed to it fill the socket's buffers, the connection stops reading (so it
	 * holds at most its water mark of replies), and the write timeout closes it.
	 */
	@Test
	void aDeafClientThatVanishesIsClosedByTheWriteTimeoutWithItsRepliesBounded(NetworkNamespace namespace)
			throws Exception {
		awaitConnections(LISTENER, 0);
		ByteBufAllocatorMetric memory = ((ByteBufAllocatorMetricProvider) ByteBufAllocator.DEFAULT).metric();
		long usedBefore = memory.usedDirectMemory();
		try (HealthyLoad healthy = HealthyClients.start(port(), HEALTHY_CLIENTS, null)) {
			double stalledBefore = count("wireport.tcp.connections.stalled");
			ChildProcess client = startPeer(namespace, "flowing", "flood", "deaf");
			// Paused: the connection reads nothing more, so its replies cannot grow.
			await().atMost(Duration.ofSeconds(10)).until(() -> gauge("wireport.tcp.connections.paused") == 1);
			long usedPaused = memory.usedDirectMemory();

			long down = System.nanoTime();
			namespace.linkDown();

			await().atMost(Duration.ofSeconds(30))
				.until(() -> count("wireport.tcp.connections.stalled") > stalledBefore);
			report("vanish with replies queued", down,
					"closed by the write timeout of 2s (counted from the last reply the peer took), "
							+ "counted in wireport.tcp.connections.stalled");
			awaitConnections(LISTENER, HEALTHY_CLIENTS);
			assertThat(count("wireport.tcp.connections.stalled") - stalledBefore).isEqualTo(1);
			assertThat(gauge("wireport.tcp.connections.paused")).isZero();
			System.out.printf(
					"network fault: vanish with replies queued: Netty direct memory in use %d KiB "
							+ "before, %d KiB while paused, %d KiB after the close%n",
					usedBefore / 1024, usedPaused / 1024, memory.usedDirectMemory() / 1024);
			System.out.println("network fault: vanish with replies queued: healthy clients: " + healthy.stopAndCheck());
		}
	}

	/**
	 * The client sends as fast as it can and reads its replies until its link goes down:
	 * what it is owed fits in the kernel's buffers, so no write of Netty's ever waits;
	 * the kernel's user timeout ends the connection once its replies stay unacknowledged.
	 */
	@Test
	void aClientThatVanishesWhileOwedLessThanTheBuffersHoldIsClosed(NetworkNamespace namespace) throws Exception {
		try (HealthyLoad healthy = startHealthyClients()) {
			ChildProcess client = startPeer(namespace, "flowing", "flood", "reading");
			double stalledBefore = count("wireport.tcp.connections.stalled");
			double lostBefore = count("wireport.tcp.connections.lost");

			long down = System.nanoTime();
			namespace.linkDown();

			// Well before the idle timeout of 30s.
			await().atMost(Duration.ofSeconds(15))
				.until(() -> this.listeners.activeConnections(LISTENER) == HEALTHY_CLIENTS);
			double stalled = count("wireport.tcp.connections.stalled") - stalledBefore;
			double lost = count("wireport.tcp.connections.lost") - lostBefore;
			report("vanish while reading", down, "connection closed (stalled " + stalled + ", lost " + lost + ")");
			assertThat(stalled + lost).isEqualTo(1);
			System.out.println("network fault: vanish while reading: healthy clients: " + healthy.stopAndCheck());
		}
	}

	/**
	 * The client's link goes down for half a second in the middle of a conversation, and
	 * comes back: TCP retransmits, and every reply arrives once, in order, on the same
	 * connection.
	 */
	@Test
	void aLinkThatFlapsLosesNothingAndDuplicatesNothing(NetworkNamespace namespace) throws Exception {
		awaitConnections(LISTENER, 0);
		double lostBefore = count("wireport.tcp.connections.lost");
		double stalledBefore = count("wireport.tcp.connections.stalled");
		double openedBefore = count("wireport.tcp.connections.opened");
		try (HealthyLoad healthy = HealthyClients.start(port(), HEALTHY_CLIENTS, null)) {
			ChildProcess client = startPeer(namespace, "progress 500$", "sequence");

			namespace.linkDown();
			// The fault itself: half a second without a link, the kernel saying so all
			// the
			// while.
			await().during(FLAP).atMost(FLAP.plusSeconds(5)).until(namespace::isLinkDown);
			namespace.linkUp();
			long up = System.nanoTime();
			int atUp = answered(client);

			await().atMost(Duration.ofSeconds(30)).until(() -> answered(client) >= atUp + 500);
			report("link flap", up, "500 more answers on the same connection");
			client.tell("stop");
			Matcher done = client.awaitLine("done sent=(\\d+) answered=(\\d+) wrong=(\\d+) extra=(\\d+) longest=(\\d+)",
					Duration.ofSeconds(20));
			System.out.println("network fault: link flap of " + FLAP.toMillis() + " ms: client " + done.group());
			assertThat(done.group(2)).as("answered").isEqualTo(done.group(1));
			assertThat(done.group(3)).as("wrong answers").isEqualTo("0");
			assertThat(done.group(4)).as("bytes after the last answer").isEqualTo("0");
			System.out.println("network fault: link flap: healthy clients: " + healthy.stopAndCheck());
		}
		assertThat(count("wireport.tcp.connections.opened") - openedBefore).isEqualTo(HEALTHY_CLIENTS + 1);
		assertThat(count("wireport.tcp.connections.lost") - lostBefore).isZero();
		assertThat(count("wireport.tcp.connections.stalled") - stalledBefore).isZero();
	}

	private static int answered(ChildProcess client) {
		List<String> output = client.output();
		for (int i = output.size() - 1; i >= 0; i--) {
			if (output.get(i).startsWith("progress ")) {
				return Integer.parseInt(output.get(i).substring("progress ".length()));
			}
		}
		return 0;
	}

	/**
	 * 20,000 connects in a few seconds from the namespace to a listener that takes 5,000:
	 * the others are refused with the error or a reset, those taken are served, and the
	 * service stays ready throughout.
	 */
	@Test
	void aConnectionStormIsRefusedCleanlyAndTheServiceStaysReady(NetworkNamespace namespace) throws Exception {
		awaitConnections("storm", 0);
		double refusedBefore = count("wireport.tcp.connections.refused", "storm");
		AtomicInteger polls = new AtomicInteger();
		List<Integer> notReady = new CopyOnWriteArrayList<>();
		ScheduledExecutorService readiness = Executors.newSingleThreadScheduledExecutor();
		int port = this.listeners.port("storm");
		try (HealthyLoad healthy = HealthyClients.start(port, HEALTHY_CLIENTS,
				TcpProperties.SEED_ACK.getBytes(StandardCharsets.UTF_8))) {
			awaitConnections("storm", HEALTHY_CLIENTS);
			readiness.scheduleWithFixedDelay(() -> {
				int status = readyz();
				polls.incrementAndGet();
				if (status != 200) {
					notReady.add(status);
				}
			}, 0, 50, TimeUnit.MILLISECONDS);
			long started = System.nanoTime();
			ChildProcess storm = namespace.startJava(NamespaceClient.class, "storm", namespace.rootAddress(),
					String.valueOf(port), String.valueOf(STORM_CONNECTS), "200");
			Matcher result = storm.awaitLine(
					"storm answered=(\\d+) error=(\\d+) refused=(\\d+) failed=(\\d+) millis=(\\d+)",
					Duration.ofSeconds(120));
			report("connection storm", started, "client done: " + result.group());
			readiness.shutdown();
			System.out.println("network fault: connection storm: healthy clients: " + healthy.stopAndCheck());
			int answered = Integer.parseInt(result.group(1));
			int error = Integer.parseInt(result.group(2));
			int refused = Integer.parseInt(result.group(3));
			assertThat(result.group(4)).as("connects that failed otherwise: " + result.group()).isEqualTo("0");
			assertThat(answered).as(result.group() + " " + meters("storm")).isEqualTo(STORM_LIMIT - HEALTHY_CLIENTS);
			assertThat(error + refused).isEqualTo(STORM_CONNECTS - answered);
			assertThat(count("wireport.tcp.connections.refused", "storm") - refusedBefore).isEqualTo(error + refused);
			assertThat(readiness.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
			System.out
				.println("network fault: connection storm: /readyz answered " + polls + " polls, not 200: " + notReady);
			assertThat(notReady).isEmpty();
			assertThat(polls.get()).isPositive();
			// The client lets go of what it holds when its input ends.
			storm.process().getOutputStream().close();
			awaitConnections("storm", 0);
		}
		finally {
			readiness.shutdownNow();
		}
	}

	private int readyz() {
		try {
			return this.http
				.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.httpPort + "/readyz"))
					.timeout(Duration.ofSeconds(5))
					.build(), HttpResponse.BodyHandlers.discarding())
				.statusCode();
		}
		catch (IOException ex) {
			return -1;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return -1;
		}
	}

}
