package dev.wireport.tcp;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.wireport.framing.FrameCodec;
import dev.wireport.framing.Framing;
import dev.wireport.payload.StuckOutput;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Clients that misbehave: trickling bytes, resetting mid-frame, never reading their
 * replies. Each is cut off or cleaned up, counted, and costs no other connection
 * anything.
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE,
		properties = { "wireport.tcp.listeners.seed.port=0", "wireport.tcp.listeners.framed.port=0",
				"wireport.tcp.listeners.guarded.port=0", "wireport.tcp.listeners.guarded.framing=lf",
				"wireport.tcp.listeners.guarded.reply=echo", "wireport.tcp.listeners.guarded.frame-timeout=500ms",
				"wireport.tcp.listeners.guarded.idle-timeout=10s", "wireport.tcp.listeners.guarded.write-timeout=1s",
				"wireport.tcp.listeners.chatty.port=0", "wireport.tcp.listeners.chatty.framing=lf",
				"wireport.tcp.listeners.chatty.log-rate=0", "wireport.tcp.listeners.crowded.port=0",
				"wireport.tcp.listeners.crowded.framing=lf", "wireport.tcp.listeners.crowded.max-connections=1",
				"wireport.tcp.listeners.crowded.log-rate=0" })
class TcpFaultsTest {

	private static final FrameCodec LF = Framing.LF.codec(1024);

	@Autowired
	private TcpListeners listeners;

	@Autowired
	private MeterRegistry registry;

	/**
	 * Connections of earlier tests are released by their server threads a moment after
	 * the clients close; counting from a moment when none is open keeps each test's own
	 * count exact.
	 */
	private void awaitNoConnections() {
		await().atMost(Duration.ofSeconds(10)).until(() -> this.listeners.activeConnections("guarded") == 0);
	}

	private double count(String meter, String... tags) {
		return this.registry.get(meter).tags(tags).counter().count();
	}

	@Test
	void aClientTricklingBytesIsCutOffByTheFrameTimeout() throws Exception {
		double before = count("wireport.tcp.frames.rejected", "listener", "guarded", "reason", "timeout");
		ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
		try (WireClient loris = new WireClient(this.listeners.port("guarded"));
				WireClient bystander = new WireClient(this.listeners.port("guarded"))) {
			// A byte every 100ms: never idle long enough for the idle timeout, but the
			// frame never ends. Bounded to 50 bytes; the cut comes after about 5.
			trickle.scheduleAtFixedRate(() -> {
				try {
					loris.write("x");
				}
				catch (IOException ex) {
					throw new IllegalStateException("cut off", ex);
				}
			}, 0, 100, TimeUnit.MILLISECONDS);
			trickle.schedule(trickle::shutdown, 5, TimeUnit.SECONDS);

			assertThat(loris.receive(LF)).asString()
				.isEqualTo("ERROR frame not completed within the frame timeout of 500ms");

			bystander.write("unaffected\n");
			assertThat(bystander.receive(LF)).asString().isEqualTo("unaffected");
		}
		finally {
			trickle.shutdownNow();
		}
		assertThat(count("wireport.tcp.frames.rejected", "listener", "guarded", "reason", "timeout") - before)
			.isEqualTo(1);
	}

	@Test
	void aFrameDeliveredSlowlyButInTimeIsOneMessage() throws Exception {
		try (WireClient client = new WireClient(this.listeners.port("guarded"));
				WireClient other = new WireClient(this.listeners.port("guarded"))) {
			client.write("slow");
			other.write("between\n");
			assertThat(other.receive(LF)).asString().isEqualTo("between");
			client.write(" but whole\n");

			assertThat(client.receive(LF)).asString().isEqualTo("slow but whole");
		}
	}

	@Test
	void aClientResettingMidFrameLeavesNothingBehind(CapturedOutput output) throws Exception {
		awaitNoConnections();
		double closedBefore = count("wireport.tcp.connections.closed", "listener", "guarded");
		try (Socket reset = new Socket()) {
			reset.connect(new InetSocketAddress("127.0.0.1", this.listeners.port("guarded")), 5000);
			reset.getOutputStream().write("half a fra".getBytes(StandardCharsets.US_ASCII));
			await().atMost(Duration.ofSeconds(5)).until(() -> this.listeners.activeConnections("guarded") == 1);
			// Linger zero: close sends a reset instead of a FIN.
			reset.setSoLinger(true, 0);
		}

		awaitNoConnections();
		assertThat(count("wireport.tcp.connections.closed", "listener", "guarded") - closedBefore).isEqualTo(1);
		// A client going away is not an error of the service.
		assertThat(output).doesNotContain("Read exception").doesNotContain("ERROR");
		try (WireClient next = new WireClient(this.listeners.port("guarded"))) {
			next.write("next\n");
			assertThat(next.receive(LF)).asString().isEqualTo("next");
		}
	}

	/**
	 * A peer that stops reading looks to the server exactly like one that vanished
	 * without a FIN or a reset: replies pile up unacknowledged until the server's write
	 * blocks. The write timeout closes it.
	 */
	@Test
	void aPeerThatNeverReadsItsRepliesIsClosedByTheWriteTimeout() throws Exception {
		double stalledBefore = count("wireport.tcp.connections.stalled", "listener", "guarded");
		awaitNoConnections();
		byte[] frame = ("x".repeat(1000) + "\n").getBytes(StandardCharsets.US_ASCII);
		ExecutorService writer = Executors.newSingleThreadExecutor();
		try (Socket deaf = new Socket()) {
			deaf.setReceiveBufferSize(4096);
			deaf.connect(new InetSocketAddress("127.0.0.1", this.listeners.port("guarded")), 5000);
			// Bounded: 100 MB at most; the socket buffers on both sides hold a few MB.
			Future<?> flood = writer.submit(() -> {
				OutputStream out = deaf.getOutputStream();
				for (int i = 0; i < 100_000; i++) {
					out.write(frame);
				}
				return null;
			});

			await().atMost(Duration.ofSeconds(10))
				.until(() -> count("wireport.tcp.connections.stalled", "listener", "guarded") - stalledBefore == 1);
			awaitNoConnections();
			// The server closed a socket with unread input: the peer's writes fail.
			assertThat(flood).failsWithin(Duration.ofSeconds(5));
		}
		finally {
			writer.shutdownNow();
		}
		try (WireClient next = new WireClient(this.listeners.port("guarded"))) {
			next.write("next\n");
			assertThat(next.receive(LF)).asString().isEqualTo("next");
		}
	}

	/**
	 * A log output that stops taking lines (a stuck log collector) costs log lines,
	 * counted, and holds no connection.
	 */
	@Test
	void aLogOutputThatStopsTakingLinesStallsNoReply() throws IOException {
		try (StuckOutput stuck = StuckOutput.attachTo(LoggerFactory.getLogger(TcpMessageHandler.class));
				WireClient client = new WireClient(this.listeners.port("chatty"))) {
			// Every message is logged (log-rate 0): more lines than the log's queue
			// holds.
			int messages = 6000;
			client.write("x\n".repeat(messages));

			byte[] acks = (TcpProperties.SEED_ACK + "\n").repeat(messages).getBytes(StandardCharsets.UTF_8);
			assertThat(client.readExactly(acks.length)).isEqualTo(acks);
		}
	}

	/**
	 * The warnings clients cause go the same way as the message lines: with the output
	 * stuck, refused connections still get their error at once, and the connection served
	 * on the same event loops still gets its replies.
	 */
	@Test
	void aLogOutputThatStopsTakingLinesStallsNoRefusal() throws IOException {
		try (StuckOutput stuck = StuckOutput.attachTo(LoggerFactory.getLogger(ListenerConnections.class));
				WireClient held = new WireClient(this.listeners.port("crowded"))) {
			held.write("first\n");
			assertThat(held.receive(LF)).asString().isEqualTo(TcpProperties.SEED_ACK);
			// Every refusal is logged (log-rate 0): the first of them would hold the
			// event
			// loop for good if it waited for the output.
			for (int i = 0; i < 10; i++) {
				try (WireClient refused = new WireClient(this.listeners.port("crowded"))) {
					assertThat(refused.readToEnd()).asString().isEqualTo("ERROR too many connections\n");
				}
				held.write("still\n");
				assertThat(held.receive(LF)).asString().isEqualTo(TcpProperties.SEED_ACK);
			}
		}
	}

}
