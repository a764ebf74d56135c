package dev.wireport.framing;

import java.io.IOException;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Coverage-guided fuzzing of every codec as a client reads with it: any framing, any
 * limit, any bytes split into any reads of a blocking stream. A reader may only end with
 * frames within the limit, a clean end of stream or the codec's documented
 * {@link FrameException}; anything else fails. The build fuzzes for ten seconds (the
 * surefire configuration sets {@code JAZZER_FUZZ=1}); a longer run is in
 * docs/reliability.md.
 */
class FrameCodecFuzzTest {

	@FuzzTest(maxDuration = "10s")
	void codecsRaiseOnlyTheirDocumentedErrors(FuzzedDataProvider data) throws IOException {
		Framing framing = data.pickValue(Framing.values());
		int limit = data.consumeInt(1, 4096);
		int step = data.consumeInt(1, 512);
		FrameCodec codec = framing.codec(limit);
		FrameReader in = new FrameReader(new ChunkedInput(data.consumeRemainingAsBytes(), step), codec);
		try {
			byte[] frame = in.read();
			for (int frames = 0; frame != null && frames < 10_000; frames++) {
				assertThat(frame.length).isLessThanOrEqualTo(codec.maxFrameSize());
				frame = in.read();
			}
		}
		catch (FrameException ex) {
			// The documented way a codec refuses bytes.
		}
	}

}
