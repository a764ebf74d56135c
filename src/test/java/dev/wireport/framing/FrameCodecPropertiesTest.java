package dev.wireport.framing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Properties every codec must keep, checked on many random inputs from fixed seeds (a
 * failure names its seed, so it can be replayed): what is encoded decodes to the same
 * payloads however the bytes are split across reads, and random bytes never raise
 * anything but the codec's documented errors (that a decoder never holds more than one
 * frame's limit is checked in {@link FrameDecoderTest}).
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
				wire.writeBytes(codec.frame(payload));
			}
			FrameReader in = new FrameReader(new RandomChunks(wire.toByteArray(), random), codec);
			for (byte[] payload : payloads) {
				assertThat(in.read()).as("seed %d", seed).isEqualTo(payload);
			}
			assertThat(in.read()).as("seed %d: a frame after the last one", seed).isNull();
		}
	}

	@ParameterizedTest
	@EnumSource(Framing.class)
	void randomBytesRaiseOnlyTheDocumentedErrors(Framing framing) throws IOException {
		FrameCodec codec = framing.codec(MAX);
		for (int run = 0; run < RUNS; run++) {
			long seed = 7_000_003L * framing.ordinal() + run;
			Random random = new Random(seed);
			byte[] bytes = new byte[random.nextInt(4 * MAX)];
			random.nextBytes(bytes);
			FrameReader in = new FrameReader(new RandomChunks(bytes, random), codec);
			try {
				for (byte[] frame = in.read(); frame != null; frame = in.read()) {
					assertThat(frame.length).as("seed %d", seed).isLessThanOrEqualTo(MAX);
				}
			}
			catch (FrameException ex) {
				// The documented way a codec refuses bytes.
			}
			catch (RuntimeException ex) {
				fail("seed %d: %s raised %s", seed, framing, ex);
			}
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

}
