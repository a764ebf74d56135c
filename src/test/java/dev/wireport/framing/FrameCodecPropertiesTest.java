package dev.wireport.framing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.integration.ip.tcp.serializer.SoftEndOfStreamException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Properties every codec must keep, checked on many random inputs from fixed seeds (a
 * failure names its seed, so it can be replayed): what is encoded decodes to the same
 * payloads however the bytes are split across reads, and random bytes never raise
 * anything but the codec's documented errors nor make it read past one frame's limit.
 */
class FrameCodecPropertiesTest {

	private static final int MAX = 512;

	private static final int RUNS = 300;

	@ParameterizedTest
	@EnumSource(value = Framing.class, names = { "CHUNK", "RAW" }, mode = EnumSource.Mode.EXCLUDE)
	void decodeOfEncodeIsIdentityUnderRandomChunking(Framing framing) throws IOException {
		FrameCodec codec = framing.codec(MAX);
		for (int run = 0; run < RUNS; run++) {
			long seed = framing.ordinal() * 1_000_003L + run;
			Random random = new Random(seed);
			List<byte[]> payloads = new ArrayList<>();
			ByteArrayOutputStream wire = new ByteArrayOutputStream();
			for (int i = random.nextInt(5) + 1; i > 0; i--) {
				byte[] payload = payload(random, codec);
				payloads.add(payload);
				codec.serialize(payload, wire);
			}
			InputStream in = new RandomChunks(wire.toByteArray(), random);
			if (run % 2 == 1) {
				// As on a connection: through a read-ahead buffer, which the delimited
				// codecs scan in bulk, and which grows when a read fills it.
				int initial = 1 + random.nextInt(16);
				in = new ReadAheadInputStream(in, initial, initial + random.nextInt(64), null);
			}
			for (byte[] payload : payloads) {
				assertThat(codec.deserialize(in)).as("seed %d", seed).isEqualTo(payload);
			}
			assertEndOfStream(codec, in, seed);
		}
	}

	@ParameterizedTest
	@EnumSource(Framing.class)
	void randomBytesRaiseOnlyTheDocumentedErrorsAndStayWithinTheLimit(Framing framing) {
		FrameCodec codec = framing.codec(MAX);
		for (int run = 0; run < RUNS; run++) {
			long seed = 7_000_003L * framing.ordinal() + run;
			Random random = new Random(seed);
			byte[] bytes = new byte[random.nextInt(4 * MAX)];
			random.nextBytes(bytes);
			CountingStream in = new CountingStream(bytes);
			try {
				while (true) {
					in.startFrame();
					byte[] frame = codec.deserialize(in);
					assertThat(frame.length).as("seed %d", seed).isLessThanOrEqualTo(MAX);
				}
			}
			catch (SoftEndOfStreamException | FrameException ex) {
				// The documented ways a codec stops.
			}
			catch (IOException | RuntimeException ex) {
				fail("seed %d: %s raised %s", seed, framing, ex);
			}
			// A header or delimiters add a few bytes, never a second frame's worth; raw
			// reads one byte past the limit to see that it is passed.
			assertThat(in.peak).as("seed %d: read past one frame's limit", seed).isLessThanOrEqualTo(MAX + 5);
		}
	}

	/**
	 * A payload the codec can carry: delimited framings cannot carry their terminator.
	 */
	static byte[] payload(Random random, FrameCodec codec) {
		while (true) {
			byte[] payload = new byte[random.nextInt(codec.maxFrameSize() + 1)];
			random.nextBytes(payload);
			if (codec.checkEncodable(payload) == null) {
				return payload;
			}
			for (int i = 0; i < payload.length; i++) {
				payload[i] = (byte) ('a' + (payload[i] & 0x0f));
			}
			if (codec.checkEncodable(payload) == null) {
				return payload;
			}
		}
	}

	private static void assertEndOfStream(FrameCodec codec, InputStream in, long seed) throws IOException {
		try {
			codec.deserialize(in);
			fail("seed %d: a frame after the last one", seed);
		}
		catch (SoftEndOfStreamException ex) {
			// A clean end between frames.
		}
	}

	/** Hands out the bytes in reads of random sizes, 1 to 64 bytes each. */
	private static final class RandomChunks extends ChunkedInput {

		private final Random random;

		RandomChunks(byte[] bytes, Random random) {
			super(bytes);
			this.random = random;
		}

		@Override
		int limit(int length) {
			return Math.min(length, 1 + this.random.nextInt(64));
		}

	}

	/** Tracks the most bytes read for one frame; {@link #startFrame()} marks each one. */
	private static final class CountingStream extends ChunkedInput {

		long peak;

		private int frameStart;

		CountingStream(byte[] bytes) {
			super(bytes);
		}

		void startFrame() {
			this.frameStart = position();
		}

		@Override
		public int read() {
			int b = super.read();
			this.peak = Math.max(this.peak, position() - this.frameStart);
			return b;
		}

		@Override
		public int read(byte[] target, int offset, int length) {
			int n = super.read(target, offset, length);
			this.peak = Math.max(this.peak, position() - this.frameStart);
			return n;
		}

	}

}
