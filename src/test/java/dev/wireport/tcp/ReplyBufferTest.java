package dev.wireport.tcp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ReplyBufferTest {

	private final RecordingOutput socket = new RecordingOutput();

	@Test
	void repliesWaitForTheFlushAndLeaveInOneWrite() throws IOException {
		ReplyBuffer replies = new ReplyBuffer(this.socket, 16, 4096);
		for (int i = 0; i < 100; i++) {
			replies.write(("reply " + i + "\n").getBytes());
		}
		assertThat(this.socket.writes).isEmpty();

		replies.flush();

		assertThat(this.socket.writes).hasSize(1);
		assertThat(this.socket.bytes.toString()).startsWith("reply 0\nreply 1\n").endsWith("reply 99\n");
	}

	@Test
	void whatWouldOutgrowTheMaximumWritesOutWhatWaitsFirst() throws IOException {
		ReplyBuffer replies = new ReplyBuffer(this.socket, 16, 100);
		replies.write(new byte[60]);
		replies.write(new byte[60]);
		assertThat(this.socket.writes).containsExactly(60);

		// As large as the maximum: straight through, after what waits.
		replies.write(new byte[100]);
		assertThat(this.socket.writes).containsExactly(60, 60, 100);
	}

	@Test
	void anyMixOfWritesAndFlushesReachesTheSocketUnchangedInWritesWithinTheMaximum() throws IOException {
		Random random = new Random(42);
		ByteArrayOutputStream expected = new ByteArrayOutputStream();
		ReplyBuffer replies = new ReplyBuffer(this.socket, 1 + random.nextInt(8), 256);
		for (int i = 0; i < 5_000; i++) {
			int kind = random.nextInt(20);
			if (kind == 0) {
				replies.flush();
			}
			else if (kind == 1) {
				int b = random.nextInt(256);
				replies.write(b);
				expected.write(b);
			}
			else {
				byte[] bytes = new byte[random.nextInt((kind == 2) ? 600 : 40)];
				random.nextBytes(bytes);
				replies.write(bytes);
				expected.write(bytes);
			}
		}
		replies.flush();

		assertThat(this.socket.bytes.toByteArray()).isEqualTo(expected.toByteArray());
	}

	private static final class RecordingOutput extends OutputStream {

		private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

		private final List<Integer> writes = new ArrayList<>();

		@Override
		public void write(int b) {
			write(new byte[] { (byte) b }, 0, 1);
		}

		@Override
		public void write(byte[] bytes, int offset, int length) {
			this.writes.add(length);
			this.bytes.write(bytes, offset, length);
		}

	}

}
