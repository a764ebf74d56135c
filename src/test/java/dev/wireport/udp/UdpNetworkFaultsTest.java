package dev.wireport.udp;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import dev.wireport.netns.ChildProcess;
import dev.wireport.netns.HealthyLoad;
import dev.wireport.netns.NamespaceClient;
import dev.wireport.netns.NetworkFaults;
import dev.wireport.netns.NetworkNamespace;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Replies owed to a sender in a network namespace whose link went down, while healthy
 * senders use the same listener over 127.0.0.1: the replies go nowhere, or fail for want
 * of a route, and the listener answers the others all the same.
 */
@NetworkFaults
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE,
		properties = { "wireport.tcp.listeners.seed.port=0", "wireport.tcp.listeners.framed.port=0",
				"wireport.udp.listeners.seed.port=0", "wireport.udp.listeners.faulty.port=0",
				"wireport.udp.listeners.faulty.log-level=off", "wireport.udp.listeners.faulty.reply-rate=1000000",
				"wireport.udp.listeners.faulty.reply-burst=1000000" })
class UdpNetworkFaultsTest {

	private static final String LISTENER = "faulty";

	private static final int OWED = 2000;

	@Autowired
	private UdpListeners listeners;

	@Autowired
	private MeterRegistry registry;

	@Autowired
	private ApplicationContext context;

	private double count(String meter) {
		return this.registry.get(meter).tag("listener", LISTENER).counter().count();
	}

	private String meters() {
		return "received " + count("wireport.udp.datagrams.received") + ", replied "
				+ count("wireport.udp.datagrams.replied") + ", replies dropped "
				+ count("wireport.udp.replies.dropped");
	}

	private NettyDatagramReceiver receiver() {
		int port = this.listeners.port(LISTENER);
		return this.context.getBeansOfType(NettyDatagramReceiver.class)
			.values()
			.stream()
			.filter((receiver) -> receiver.port() == port)
			.findFirst()
			.orElseThrow();
	}

	/**
	 * The listener stops reading while the sender's datagrams arrive, so they wait in its
	 * socket; the sender's link goes down (its own end: replies go into the void; or the
	 * root end: replies fail, no route), then the listener reads again and owes every one
	 * of them a reply, while the healthy senders start.
	 */
	@ParameterizedTest(name = "root end down: {0}")
	@ValueSource(booleans = { false, true })
	void repliesToASenderWhoseLinkWentDownStallNothing(boolean rootEnd, NetworkNamespace namespace) throws Exception {
		int port = this.listeners.port(LISTENER);
		double receivedBefore = count("wireport.udp.datagrams.received");
		double repliedBefore = count("wireport.udp.datagrams.replied");
		double droppedBefore = count("wireport.udp.replies.dropped");
		NettyDatagramReceiver receiver = receiver();
		receiver.stop();
		try {
			ChildProcess sender = namespace.startJava(NamespaceClient.class, "datagrams", namespace.rootAddress(),
					String.valueOf(port), String.valueOf(OWED));
			sender.awaitLine("sent " + OWED, Duration.ofSeconds(20));
			if (rootEnd) {
				namespace.rootLinkDown();
			}
			else {
				namespace.linkDown();
			}
		}
		finally {
			receiver.start();
		}
		long resumed = System.nanoTime();
		try (HealthyLoad healthy = HealthySenders.start(port, 4,
				UdpProperties.SEED_ACK.getBytes(StandardCharsets.UTF_8))) {
			await().atMost(Duration.ofSeconds(20))
				.until(() -> count("wireport.udp.datagrams.received") - receivedBefore >= OWED);
			System.out.printf(
					"network fault: UDP to a vanished sender (%s end down): %d datagrams owed a reply "
							+ "handled %d ms after the listener read again%n",
					rootEnd ? "root" : "namespace", OWED, Duration.ofNanos(System.nanoTime() - resumed).toMillis());
			// The healthy senders go on once the owed replies are out.
			long answeredNow = healthy.answered();
			await().atMost(Duration.ofSeconds(30))
				.alias("healthy senders answered 500 more; now: " + meters())
				.until(() -> healthy.answered() >= answeredNow + 500);
			System.out.println("network fault: UDP to a vanished sender: healthy senders: " + healthy.stopAndCheck());
		}
		double received = count("wireport.udp.datagrams.received") - receivedBefore;
		double replied = count("wireport.udp.datagrams.replied") - repliedBefore;
		double dropped = count("wireport.udp.replies.dropped") - droppedBefore;
		System.out.println("network fault: UDP to a vanished sender: received " + received + ", replied " + replied
				+ ", replies dropped " + dropped);
		assertThat(replied + dropped).isEqualTo(received);
	}

}
