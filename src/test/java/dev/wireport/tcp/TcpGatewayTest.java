package dev.wireport.tcp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.wireport.framing.FrameCodec;
import dev.wireport.framing.Framing;
import dev.wireport.payload.LogLines;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The TCP listeners through plain sockets: one echo listener per framing next to the two
 * default listeners, all on ephemeral ports.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
@ExtendWith(OutputCaptureExtension.class)
class TcpGatewayTest {

	private static final String ACK = "server接收消息成功";

	private static final byte[] ACK_BYTES = ACK.getBytes(StandardCharsets.UTF_8);

	private static final String BURST_MESSAGE = "hello,How are you???";

	private static final int ECHO_MAX_FRAME = 1024;

	private static final int LARGE_MAX_FRAME = 1024 * 1024;

	@Autowired
	private TcpListeners listeners;

	@Autowired
	private MeterRegistry registry;

	@DynamicPropertySource
	static void listeners(DynamicPropertyRegistry registry) {
		registry.add("wireport.tcp.listeners.seed.port", () -> 0);
		registry.add("wireport.tcp.listeners.framed.port", () -> 0);
		for (Framing framing : Framing.values()) {
			listener(registry, "echo-" + framing.configName(), framing.configName(), "echo");
		}
		listener(registry, "limited", "lf", "ack");
		registry.add("wireport.tcp.listeners.limited.max-connections", () -> 2);
		listener(registry, "crowded", "lf", "ack");
		registry.add("wireport.tcp.listeners.crowded.max-connections", () -> 1);
		registry.add("wireport.tcp.listeners.crowded.log-rate", () -> 2);
		listener(registry, "large", "length-header-4", "echo");
		registry.add("wireport.tcp.listeners.large.max-frame-size", () -> LARGE_MAX_FRAME + "B");
		listener(registry, "idle", "lf", "ack");
		registry.add("wireport.tcp.listeners.idle.idle-timeout", () -> "300ms");
		registry.add("wireport.tcp.listeners.idle.frame-timeout", () -> "0");
	}

	private static void listener(DynamicPropertyRegistry registry, String name, String framing, String reply) {
		String prefix = "wireport.tcp.listeners." + name + ".";
		registry.add(prefix + "port", () -> 0);
		registry.add(prefix + "framing", () -> framing);
		registry.add(prefix + "reply", () -> reply);
		registry.add(prefix + "max-frame-size", () -> ECHO_MAX_FRAME + "B");
	}

	private int port(String listener) {
		return this.listeners.port(listener);
	}

	private int echoPort(Framing framing) {
		return port("echo-" + framing.configName());
	}

	private double received(String listener) {
		return this.registry.get("wireport.tcp.messages.received").tag("listener", listener).counter().count();
	}

	@ParameterizedTest
	@CsvSource({ "lf, 68656c6c6f0a", "crlf, 68656c6c6f0d0a", "length-header-1, 0568656c6c6f",
			"length-header-2, 000568656c6c6f", "length-header-4, 0000000568656c6c6f",
			"length-header-4-le, 0500000068656c6c6f", "stx-etx, 0268656c6c6f03", "null-terminated, 68656c6c6f00",
			"chunk, 68656c6c6f" })
	void everyFramingEchoesTheExactBytes(String framing, String wireHex) throws IOException {
		byte[] wire = HexFormat.of().parseHex(wireHex);
		try (WireClient client = new WireClient(echoPort(Framing.fromConfigName(framing)))) {
			client.write(wire);

			assertThat(client.readExactly(wire.length)).isEqualTo(wire);
		}
	}

	@Test
	void rawFramingAnswersAfterTheClientHalfCloses() throws IOException {
		try (WireClient client = new WireClient(echoPort(Framing.RAW))) {
			client.write("the whole ").write("stream").shutdownOutput();

			assertThat(client.readToEnd()).asString().isEqualTo("the whole stream");
		}
	}

	@Test
	void defaultListenersAcknowledgeWithTheSeedsText() throws IOException {
		try (WireClient seed = new WireClient(port("seed")); WireClient framed = new WireClient(port("framed"))) {
			seed.write("hello");
			framed.write("hello\n");

			assertThat(seed.readExactly(ACK_BYTES.length)).isEqualTo(ACK_BYTES);
			assertThat(framed.readExactly(ACK_BYTES.length + 1)).asString(StandardCharsets.UTF_8).isEqualTo(ACK + "\n");
		}
	}

	@ParameterizedTest
	@EnumSource(value = Framing.class, names = { "CHUNK", "RAW" }, mode = EnumSource.Mode.EXCLUDE)
	void theSeedsBurstIsTwentyMessagesOnEveryDelimitingFraming(Framing framing) throws IOException {
		FrameCodec codec = framing.codec(ECHO_MAX_FRAME);
		String listener = "echo-" + framing.configName();
		double before = received(listener);
		try (WireClient client = new WireClient(echoPort(framing))) {
			for (int i = 0; i < 20; i++) {
				client.send(codec, BURST_MESSAGE.getBytes(StandardCharsets.US_ASCII));
			}
			for (int i = 0; i < 20; i++) {
				assertThat(client.receive(codec)).asString().isEqualTo(BURST_MESSAGE);
			}
		}
		assertThat(received(listener) - before).isEqualTo(20);
	}

	@Test
	void theSeedsBurstIsGluedIntoOneMessageOnChunk() throws IOException {
		String glued = BURST_MESSAGE.repeat(20);
		double before = received("echo-chunk");
		try (WireClient client = new WireClient(echoPort(Framing.CHUNK))) {
			client.write(glued);

			assertThat(client.readExactly(glued.length())).asString().isEqualTo(glued);
		}
		assertThat(received("echo-chunk") - before).isEqualTo(1);
	}

	@Test
	void aFrameSplitAcrossWritesWithPausesIsOneMessage() throws IOException {
		try (WireClient client = new WireClient(echoPort(Framing.LF));
				WireClient other = new WireClient(echoPort(Framing.LF))) {
			for (String part : List.of("sp", "li", "t across wri", "tes")) {
				client.write(part);
				pauseWithRoundTrip(other);
			}
			client.write("\n");

			assertThat(client.readExactly(20)).asString().isEqualTo("split across writes\n");
		}
	}

	@Test
	void aLengthHeaderSplitAcrossWritesWorks() throws IOException {
		try (WireClient client = new WireClient(echoPort(Framing.LENGTH_HEADER_4));
				WireClient other = new WireClient(echoPort(Framing.LF))) {
			client.write(new byte[] { 0, 0 });
			pauseWithRoundTrip(other);
			client.write(new byte[] { 0, 3 });
			pauseWithRoundTrip(other);
			client.write("abc");

			assertThat(client.readExactly(7)).isEqualTo(new byte[] { 0, 0, 0, 3, 'a', 'b', 'c' });
		}
	}

	/**
	 * A complete request and reply on another connection to the {@code lf} echo listener:
	 * the bytes written before it have long left the client by the time it returns.
	 */
	private static void pauseWithRoundTrip(WireClient other) throws IOException {
		FrameCodec codec = Framing.LF.codec(ECHO_MAX_FRAME);
		byte[] probe = "probe".getBytes(StandardCharsets.US_ASCII);
		other.write(probe).write(new byte[] { '\n' });
		assertThat(other.receive(codec)).isEqualTo(probe);
	}

	@Test
	void twoFramesInOneWriteAreTwoMessages() throws IOException {
		double before = received("echo-crlf");
		try (WireClient client = new WireClient(echoPort(Framing.CRLF))) {
			client.write("one\r\ntwo\r\n");

			assertThat(client.readExactly(10)).asString().isEqualTo("one\r\ntwo\r\n");
		}
		assertThat(received("echo-crlf") - before).isEqualTo(2);
	}

	@Test
	void aFrameLargerThanAnyReadIsAnsweredWholeAndTheNextFrameStillFollows() throws IOException {
		FrameCodec codec = Framing.LENGTH_HEADER_4.codec(LARGE_MAX_FRAME);
		byte[] large = new byte[LARGE_MAX_FRAME];
		new Random(7).nextBytes(large);
		ByteArrayOutputStream frames = new ByteArrayOutputStream();
		frames.write(codec.frame(large));
		frames.write(codec.frame("after".getBytes(StandardCharsets.US_ASCII)));
		try (WireClient client = new WireClient(port("large"))) {
			client.write(frames.toByteArray());

			assertThat(client.receive(codec)).isEqualTo(large);
			assertThat(client.receive(codec)).asString(StandardCharsets.US_ASCII).isEqualTo("after");
		}
	}

	@Test
	void aThousandPipelinedFramesGetAThousandRepliesInOrder() throws IOException {
		StringBuilder frames = new StringBuilder();
		for (int i = 0; i < 1000; i++) {
			frames.append(i).append('\n');
		}
		try (WireClient client = new WireClient(echoPort(Framing.LF))) {
			client.write(frames.toString());

			assertThat(client.readExactly(frames.length())).asString(StandardCharsets.US_ASCII)
				.isEqualTo(frames.toString());
		}
	}

	@Test
	void nonUtf8BytesPassThroughEchoUnchanged() throws IOException {
		byte[] payload = new byte[256];
		for (int i = 0; i < payload.length; i++) {
			payload[i] = (byte) i;
		}
		FrameCodec codec = Framing.LENGTH_HEADER_2.codec(ECHO_MAX_FRAME);
		try (WireClient client = new WireClient(echoPort(Framing.LENGTH_HEADER_2))) {
			client.send(codec, payload);

			assertThat(client.receive(codec)).isEqualTo(payload);
		}
	}

	@ParameterizedTest
	@CsvSource({ "lf, 'frame exceeds the maximum frame size of 1024 bytes (no terminator within the limit)'",
			"length-header-4, 'frame of 1025 bytes exceeds the maximum frame size of 1024 bytes'" })
	void anOversizedFrameClosesOnlyItsOwnConnection(String framingName, String error) throws IOException {
		Framing framing = Framing.fromConfigName(framingName);
		FrameCodec codec = framing.codec(ECHO_MAX_FRAME);
		double rejectedBefore = rejected("echo-" + framingName, "too-large");
		try (WireClient bystander = new WireClient(echoPort(framing));
				WireClient offender = new WireClient(echoPort(framing))) {
			byte[] ok = "still here".getBytes(StandardCharsets.US_ASCII);
			bystander.send(codec, ok);
			assertThat(bystander.receive(codec)).isEqualTo(ok);

			offender.send(codec, "x".repeat(ECHO_MAX_FRAME + 1).getBytes(StandardCharsets.US_ASCII));

			assertThat(offender.receive(codec)).asString().isEqualTo("ERROR " + error);
			assertThat(offender.readToEnd()).isEmpty();
			bystander.send(codec, ok);
			assertThat(bystander.receive(codec)).isEqualTo(ok);
		}
		assertThat(rejected("echo-" + framingName, "too-large") - rejectedBefore).isEqualTo(1);
	}

	@Test
	void anOversizedLengthIsRefusedBeforeThePayloadIsSent() throws IOException {
		FrameCodec codec = Framing.LENGTH_HEADER_4.codec(ECHO_MAX_FRAME);
		try (WireClient client = new WireClient(echoPort(Framing.LENGTH_HEADER_4))) {
			client.write(new byte[] { 0x10, 0, 0, 0 });

			assertThat(client.receive(codec)).asString()
				.isEqualTo("ERROR frame of 268435456 bytes exceeds the maximum frame size of 1024 bytes");
			assertThat(client.readToEnd()).isEmpty();
		}
	}

	@Test
	void aMalformedLengthHeaderGetsAnErrorAndTheListenerKeepsServing() throws IOException {
		FrameCodec codec = Framing.LENGTH_HEADER_4.codec(ECHO_MAX_FRAME);
		double before = rejected("echo-length-header-4", "malformed");
		try (WireClient client = new WireClient(echoPort(Framing.LENGTH_HEADER_4))) {
			client.write(new byte[] { (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xfe });

			assertThat(client.receive(codec)).asString().isEqualTo("ERROR negative length header -2");
			assertThat(client.readToEnd()).isEmpty();
		}
		try (WireClient next = new WireClient(echoPort(Framing.LENGTH_HEADER_4))) {
			next.send(codec, new byte[] { 1, 2, 3 });
			assertThat(next.receive(codec)).isEqualTo(new byte[] { 1, 2, 3 });
		}
		assertThat(rejected("echo-length-header-4", "malformed") - before).isEqualTo(1);
	}

	@Test
	void aHalfFrameAtCloseIsAnsweredWithAnError() throws IOException {
		try (WireClient client = new WireClient(echoPort(Framing.LF))) {
			client.write("complete\nhalf").shutdownOutput();

			assertThat(client.readToEnd()).asString()
				.isEqualTo("complete\nERROR connection closed in the middle of a frame after 4 bytes\n");
		}
	}

	private double rejected(String listener, String reason) {
		return this.registry.get("wireport.tcp.frames.rejected")
			.tag("listener", listener)
			.tag("reason", reason)
			.counter()
			.count();
	}

	@Test
	void twoHundredConcurrentClientsGetEveryReply() throws Exception {
		int clients = 200;
		int messages = 100;
		FrameCodec codec = Framing.LF.codec(ECHO_MAX_FRAME);
		ExecutorService pool = Executors.newFixedThreadPool(clients);
		try {
			List<Future<Integer>> replies = new ArrayList<>();
			for (int c = 0; c < clients; c++) {
				replies.add(pool.submit(() -> {
					int count = 0;
					try (WireClient client = new WireClient(port("framed"))) {
						for (int m = 0; m < messages; m++) {
							client.write("message " + m + "\n");
							if (new String(client.receive(codec), StandardCharsets.UTF_8).equals(ACK)) {
								count++;
							}
						}
					}
					return count;
				}));
			}
			int total = 0;
			for (Future<Integer> reply : replies) {
				total += reply.get(60, TimeUnit.SECONDS);
			}
			assertThat(total).isEqualTo(clients * messages);
		}
		finally {
			pool.shutdownNow();
		}
	}

	@Test
	void idleConnectionsAreClosedAfterTheIdleTimeout() throws IOException {
		try (WireClient idle = new WireClient(port("idle"))) {
			long start = System.nanoTime();

			assertThat(idle.readToEnd()).isEmpty();
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(250));
		}
	}

	@Test
	void withoutAFrameTimeoutTheIdleTimeoutCutsAnUnfinishedFrame() throws IOException {
		try (WireClient idle = new WireClient(port("idle"))) {
			idle.write("half a fra");

			assertThat(idle.receive(Framing.LF.codec(ECHO_MAX_FRAME))).asString()
				.isEqualTo("ERROR frame not completed within the idle timeout of 300ms");
		}
	}

	@Test
	void connectionsOverTheLimitAreRefusedAtOnce() throws IOException {
		FrameCodec codec = Framing.LF.codec(ECHO_MAX_FRAME);
		double refusedBefore = this.registry.get("wireport.tcp.connections.refused")
			.tag("listener", "limited")
			.counter()
			.count();
		try (WireClient first = new WireClient(port("limited")); WireClient second = new WireClient(port("limited"))) {
			for (WireClient client : List.of(first, second)) {
				client.write("hi\n");
				assertThat(client.receive(codec)).asString(StandardCharsets.UTF_8).isEqualTo(ACK);
			}
			try (WireClient third = new WireClient(port("limited"))) {
				assertThat(third.readToEnd()).asString().isEqualTo("ERROR too many connections\n");
			}
			first.close();
			await().atMost(Duration.ofSeconds(5)).until(() -> this.listeners.activeConnections("limited") < 2);
			try (WireClient replacement = new WireClient(port("limited"))) {
				replacement.write("again\n");
				assertThat(replacement.receive(codec)).asString(StandardCharsets.UTF_8).isEqualTo(ACK);
			}
			second.write("still\n");
			assertThat(second.receive(codec)).asString(StandardCharsets.UTF_8).isEqualTo(ACK);
		}
		assertThat(this.registry.get("wireport.tcp.connections.refused").tag("listener", "limited").counter().count()
				- refusedBefore)
			.isEqualTo(1);
	}

	@Test
	void aStormOfRefusalsIsCountedWholeAndLoggedWithinTheLogRate(CapturedOutput output) throws IOException {
		double refusedBefore = refused("crowded");
		try (WireClient held = new WireClient(port("crowded"))) {
			held.write("hi\n");
			assertThat(held.receive(Framing.LF.codec(ECHO_MAX_FRAME))).asString(StandardCharsets.UTF_8).isEqualTo(ACK);
			for (int i = 0; i < 20; i++) {
				try (WireClient refused = new WireClient(port("crowded"))) {
					assertThat(refused.readToEnd()).asString().isEqualTo("ERROR too many connections\n");
				}
			}
		}
		assertThat(refused("crowded") - refusedBefore).isEqualTo(20);
		// Every refusal is either logged or counted in a line once its second has ended.
		String line = "listener=crowded remote=\\S+ refused: limit of 1 connections reached";
		await().atMost(Duration.ofSeconds(10))
			.until(() -> LogLines.writtenOrCounted(output.getOut(), line, "listener=crowded warnings") == 20);
		assertThat(LogLines.written(output.getOut(), line)).isPositive().isLessThan(20);
	}

	private double refused(String listener) {
		return this.registry.get("wireport.tcp.connections.refused").tag("listener", listener).counter().count();
	}

}
