package dev.wireport.tcp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.wireport.framing.FrameCodec;
import dev.wireport.framing.Framing;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Flow control on one event-loop thread, where every connection of every listener takes
 * its turn: a connection that floods does not keep the others waiting, and one whose peer
 * does not read its replies stops being read, so it holds a bounded amount of memory, and
 * is served on once the peer reads again.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE,
		properties = { "wireport.io.threads=1", "wireport.tcp.listeners.framed.log-level=off",
				"wireport.tcp.listeners.mirror.port=0", "wireport.tcp.listeners.mirror.framing=lf",
				"wireport.tcp.listeners.mirror.reply=echo", "wireport.tcp.listeners.mirror.write-timeout=0",
				"wireport.tcp.listeners.mirror.log-level=off" })
class TcpFlowControlTest {

	private static final FrameCodec LF = Framing.LF.codec(1024);

	private final ExecutorService threads = Executors.newCachedThreadPool();

	@Autowired
	private TcpListeners listeners;

	@Autowired
	private MeterRegistry registry;

	@AfterEach
	void stopThreads() {
		this.threads.shutdownNow();
	}

	/**
	 * A client pipelines as fast as it can while another one sends one message at a time:
	 * each of the light client's messages is answered while the flood goes on.
	 */
	@Test
	void aLightClientIsAnsweredWhileAnotherFloods() throws Exception {
		int port = this.listeners.port("framed");
		int flood = 200_000;
		try (Socket heavy = new Socket("127.0.0.1", port); WireClient light = new WireClient(port)) {
			Future<?> writing = this.threads.submit(() -> writeFrames(heavy, "x".repeat(64), flood));
			CompletableFuture<Long> reading = CompletableFuture.supplyAsync(() -> countReplies(heavy, flood),
					this.threads);
			int answered = 0;
			while (!reading.isDone() && answered < 1000) {
				light.write("ping\n");
				assertThat(light.receive(LF)).asString(StandardCharsets.UTF_8).isEqualTo(TcpProperties.SEED_ACK);
				answered++;
			}
			writing.get();
			assertThat(reading.get()).isEqualTo(flood);
			assertThat(answered).as("light client answered during the flood").isPositive();
		}
	}

	/**
	 * A peer that sends and does not read: once its replies pass the high water mark and
	 * fill the socket, the connection stops reading, and its peer's writes stop with it.
	 * When the peer reads again, every reply arrives, in order.
	 */
	@Test
	void aConnectionWhosePeerDoesNotReadStopsBeingReadUntilItDoes() throws Exception {
		int port = this.listeners.port("mirror");
		int frames = 30_000;
		String payload = "y".repeat(999);
		double receivedBefore = count("wireport.tcp.messages.received");
		try (Socket deaf = new Socket()) {
			deaf.setReceiveBufferSize(4096);
			deaf.connect(new InetSocketAddress("127.0.0.1", port), 5000);
			Future<?> writing = this.threads.submit(() -> writeFrames(deaf, payload, frames));

			await().atMost(Duration.ofSeconds(30)).until(() -> paused() == 1);
			// Stopped short of what the peer is trying to send: the rest waits in the
			// sockets, not in the service.
			assertThat(count("wireport.tcp.messages.received") - receivedBefore).isLessThan(frames);
			assertThat(writing).isNotDone();

			byte[] expected = (payload + "\n").getBytes(StandardCharsets.US_ASCII);
			InputStream in = deaf.getInputStream();
			for (int i = 0; i < frames; i++) {
				assertThat(in.readNBytes(expected.length)).as("reply %d", i).isEqualTo(expected);
			}
			writing.get();
			await().atMost(Duration.ofSeconds(10)).until(() -> paused() == 0);
		}
	}

	private static Void writeFrames(Socket socket, String payload, int count) throws IOException {
		byte[] frame = LF.frame(payload.getBytes(StandardCharsets.US_ASCII));
		byte[] batch = new byte[frame.length * 64];
		for (int i = 0; i < 64; i++) {
			System.arraycopy(frame, 0, batch, i * frame.length, frame.length);
		}
		OutputStream out = socket.getOutputStream();
		for (int sent = 0; sent < count; sent += 64) {
			out.write(batch, 0, Math.min(64, count - sent) * frame.length);
		}
		out.flush();
		return null;
	}

	private static long countReplies(Socket socket, int expected) {
		byte[] ack = LF.frame(TcpProperties.SEED_ACK.getBytes(StandardCharsets.UTF_8));
		try {
			InputStream in = socket.getInputStream();
			long replies = 0;
			while (replies < expected) {
				byte[] reply = in.readNBytes(ack.length);
				if (!Arrays.equals(reply, ack)) {
					break;
				}
				replies++;
			}
			return replies;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private double count(String meter) {
		return this.registry.get(meter).tags("listener", "mirror").counter().count();
	}

	private double paused() {
		return this.registry.get("wireport.tcp.connections.paused").tags("listener", "mirror").gauge().value();
	}

}
