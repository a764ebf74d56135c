package dev.wireport.udp;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.wireport.payload.LogLines;
import dev.wireport.payload.StuckOutput;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The UDP listeners through real datagram sockets on ephemeral ports.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE,
		properties = { "wireport.tcp.listeners.seed.port=0", "wireport.tcp.listeners.framed.port=0",
				"wireport.udp.listeners.seed.port=0", "wireport.udp.listeners.seed.reply-rate=1000000",
				"wireport.udp.listeners.seed.reply-burst=1000000", "wireport.udp.listeners.seed.log-level=off",
				"wireport.udp.listeners.echo.port=0", "wireport.udp.listeners.echo.reply=echo",
				"wireport.udp.listeners.small.port=0", "wireport.udp.listeners.small.max-datagram-size=100B",
				"wireport.udp.listeners.tiny.port=0", "wireport.udp.listeners.tiny.max-datagram-size=100B",
				"wireport.udp.listeners.tiny.log-rate=2", "wireport.udp.listeners.limited.port=0",
				"wireport.udp.listeners.limited.reply-rate=0.01", "wireport.udp.listeners.limited.reply-burst=5",
				"wireport.udp.listeners.queued.port=0", "wireport.udp.listeners.queued.handler-threads=2",
				"wireport.udp.listeners.queued.reply-rate=1000000", "wireport.udp.listeners.queued.reply-burst=1000000",
				"wireport.udp.listeners.queued.log-level=off", "wireport.udp.listeners.chatty.port=0",
				"wireport.udp.listeners.chatty.log-rate=0", "wireport.udp.listeners.chatty.reply-rate=1000000",
				"wireport.udp.listeners.chatty.reply-burst=1000000" })
@ExtendWith(OutputCaptureExtension.class)
class UdpGatewayTest {

	private static final Logger logger = LoggerFactory.getLogger(UdpGatewayTest.class);

	private static final byte[] ACK = UdpProperties.SEED_ACK.getBytes(StandardCharsets.UTF_8);

	@Autowired
	private UdpListeners listeners;

	@Autowired
	private MeterRegistry registry;

	private InetSocketAddress address(String listener) {
		return new InetSocketAddress(InetAddress.getLoopbackAddress(), this.listeners.port(listener));
	}

	private double count(String meter, String listener) {
		return this.registry.get(meter).tag("listener", listener).counter().count();
	}

	@Test
	void aConnectedClientGetsTheAckFromTheListeningPort() throws IOException {
		try (DatagramSocket client = client(null)) {
			client.connect(address("seed"));
			client.send(new DatagramPacket("Hello server!!!".getBytes(StandardCharsets.UTF_8), 15));

			DatagramPacket reply = receive(client);

			assertThat(reply.getPort()).isEqualTo(this.listeners.port("seed"));
			assertThat(bytes(reply)).isEqualTo(ACK);
		}
	}

	/**
	 * {@code seed} handles each datagram on its receiving thread (the default,
	 * {@code handler-threads: 0}); {@code queued} hands it to handler threads.
	 */
	@ParameterizedTest
	@ValueSource(strings = { "seed", "queued" })
	void sixteenSendersGetEveryAck(String listener) throws Exception {
		int senders = 16;
		int datagrams = 1000;
		ExecutorService pool = Executors.newFixedThreadPool(senders);
		try {
			List<Future<Integer>> results = new ArrayList<>();
			for (int s = 0; s < senders; s++) {
				results.add(pool.submit(() -> {
					int acked = 0;
					try (DatagramSocket client = client(null)) {
						client.connect(address(listener));
						client.setSoTimeout(1000);
						for (int d = 0; d < datagrams; d++) {
							byte[] message = ("datagram " + d).getBytes(StandardCharsets.US_ASCII);
							client.send(new DatagramPacket(message, message.length));
							try {
								DatagramPacket reply = receive(client);
								acked += Arrays.equals(bytes(reply), ACK) ? 1 : 0;
							}
							catch (SocketTimeoutException ex) {
								// counted as lost below
							}
						}
					}
					return acked;
				}));
			}
			int acked = 0;
			for (Future<Integer> result : results) {
				acked += result.get(120, TimeUnit.SECONDS);
			}
			int sent = senders * datagrams;
			logger.info("UDP request/reply to {}: {} sent, {} acknowledged, {} lost", listener, sent, acked,
					sent - acked);
			assertThat(acked).isEqualTo(sent);
		}
		finally {
			pool.shutdownNow();
		}
	}

	@Test
	void echoReturnsNonUtf8BytesUnchangedAndTheLargestDatagramWhole() throws IOException {
		byte[] everyByte = new byte[256];
		for (int i = 0; i < everyByte.length; i++) {
			everyByte[i] = (byte) i;
		}
		byte[] largest = new byte[UdpProperties.LARGEST_DATAGRAM];
		for (int i = 0; i < largest.length; i++) {
			largest[i] = (byte) (i * 31);
		}
		try (DatagramSocket client = client(null)) {
			client.connect(address("echo"));
			for (byte[] payload : List.of(everyByte, largest)) {
				client.send(new DatagramPacket(payload, payload.length));
				assertThat(bytes(receive(client))).isEqualTo(payload);
			}
		}
	}

	@Test
	void anOversizedDatagramIsCountedAsTruncatedAndNotAnswered() throws IOException {
		double truncatedBefore = count("wireport.udp.datagrams.truncated", "small");
		double receivedBefore = count("wireport.udp.datagrams.received", "small");
		try (DatagramSocket client = client(null)) {
			client.connect(address("small"));
			client.send(new DatagramPacket(new byte[101], 101));
			client.send(new DatagramPacket(new byte[100], 100));

			assertThat(bytes(receive(client))).isEqualTo(ACK);
		}
		await().atMost(Duration.ofSeconds(5))
			.until(() -> count("wireport.udp.datagrams.truncated", "small") - truncatedBefore == 1);
		assertThat(count("wireport.udp.datagrams.received", "small") - receivedBefore).isEqualTo(1);
	}

	@Test
	void aFloodOfOversizedDatagramsIsCountedWholeAndLoggedWithinTheLogRate(CapturedOutput output) throws IOException {
		double truncatedBefore = count("wireport.udp.datagrams.truncated", "tiny");
		try (DatagramSocket client = client(null)) {
			client.connect(address("tiny"));
			for (int i = 0; i < 50; i++) {
				client.send(new DatagramPacket(new byte[101], 101));
			}
		}
		await().atMost(Duration.ofSeconds(5))
			.until(() -> count("wireport.udp.datagrams.truncated", "tiny") - truncatedBefore == 50);
		// Every one is either logged or counted in a line once its second has ended.
		String line = "listener=tiny remote=\\S+ datagram longer than the maximum of 100 bytes";
		await().atMost(Duration.ofSeconds(10))
			.until(() -> LogLines.writtenOrCounted(output.getOut(), line, "listener=tiny warnings") == 50);
		assertThat(LogLines.written(output.getOut(), line)).isPositive().isLessThan(50);
	}

	@Test
	void emptyDatagramsAreIgnored() throws IOException {
		double emptyBefore = count("wireport.udp.datagrams.empty", "echo");
		// A DatagramSocket does not send empty datagrams; a channel does.
		try (DatagramChannel channel = DatagramChannel.open()) {
			channel.send(ByteBuffer.allocate(0), address("echo"));
			channel.socket().setSoTimeout(5000);
			channel.send(ByteBuffer.wrap(new byte[] { 42 }), address("echo"));

			assertThat(bytes(receive(channel.socket()))).containsExactly(42);
		}
		await().atMost(Duration.ofSeconds(5))
			.until(() -> count("wireport.udp.datagrams.empty", "echo") - emptyBefore == 1);
	}

	@Test
	void theLimiterHoldsOneSourceToItsBurstWhileAnotherIsAnswered() throws IOException {
		double limitedBefore = count("wireport.udp.datagrams.rate.limited", "limited");
		double repliedBefore = count("wireport.udp.datagrams.replied", "limited");
		try (DatagramSocket flooding = client(InetAddress.getByName("127.0.0.1"));
				DatagramSocket other = client(InetAddress.getByName("127.0.0.2"))) {
			flooding.connect(address("limited"));
			for (int i = 0; i < 20; i++) {
				flooding.send(new DatagramPacket(new byte[] { 1 }, 1));
			}
			await().atMost(Duration.ofSeconds(5))
				.until(() -> count("wireport.udp.datagrams.rate.limited", "limited") - limitedBefore == 15);
			assertThat(count("wireport.udp.datagrams.replied", "limited") - repliedBefore).isEqualTo(5);
			for (int i = 0; i < 5; i++) {
				assertThat(bytes(receive(flooding))).isEqualTo(ACK);
			}

			other.connect(address("limited"));
			other.send(new DatagramPacket(new byte[] { 2 }, 1));
			assertThat(bytes(receive(other))).isEqualTo(ACK);
		}
	}

	/**
	 * The receiving thread handles each datagram itself, so nothing in handling may wait:
	 * a log output that stops taking lines (a stuck log collector) must cost log lines,
	 * counted, and no reply.
	 */
	@Test
	void aLogOutputThatStopsTakingLinesStallsNoReply() throws Exception {
		ch.qos.logback.classic.Logger handlerLog = (ch.qos.logback.classic.Logger) LoggerFactory
			.getLogger(UdpMessageHandler.class);
		ListAppender<ILoggingEvent> written = new ListAppender<>();
		written.start();
		handlerLog.addAppender(written);
		try (StuckOutput stuck = StuckOutput.attachTo(handlerLog); DatagramSocket client = client(null)) {
			client.connect(address("chatty"));
			// Every datagram is logged (log-rate 0): far more lines than the log's queue
			// holds.
			int datagrams = 6000;
			for (int i = 0; i < datagrams; i++) {
				client.send(new DatagramPacket(new byte[] { 'x' }, 1));
				assertThat(bytes(receive(client))).as("reply %d", i).isEqualTo(ACK);
			}
			stuck.close();
			// The lines the full queue turned away are counted, and the count is logged
			// with the first datagram of a later second.
			await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
				client.send(new DatagramPacket(new byte[] { 'y' }, 1));
				receive(client);
				synchronized (written) {
					return written.list.stream()
						.anyMatch((event) -> event.getFormattedMessage()
							.matches(
									"listener=chatty datagrams: \\d+ not logged \\(the log's output was not keeping up\\)"));
				}
			});
		}
		finally {
			handlerLog.detachAppender(written);
		}
	}

	private static DatagramSocket client(InetAddress bindAddress) throws IOException {
		DatagramSocket socket = new DatagramSocket(new InetSocketAddress(bindAddress, 0));
		socket.setSoTimeout(5000);
		return socket;
	}

	private static DatagramPacket receive(DatagramSocket socket) throws IOException {
		DatagramPacket packet = new DatagramPacket(new byte[65536], 65536);
		socket.receive(packet);
		return packet;
	}

	private static byte[] bytes(DatagramPacket packet) {
		return Arrays.copyOfRange(packet.getData(), packet.getOffset(), packet.getLength());
	}

}
