package dev.wireport.framing;

import java.util.EnumSet;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Coverage-guided fuzzing of the framings' decoders: for any framing, any limit and any
 * bytes, split into any reads, a decoder takes the same frames and stops the same way as
 * when the bytes come in one read, and never holds more than one frame's limit (checked
 * inside {@link FrameDecoderTest#decode}). Chunk is left out: its messages are the reads.
 * A class of its own because Jazzer fuzzes one target per JVM; the build fuzzes it for
 * ten seconds, like {@link FrameCodecFuzzTest}.
 */
class FrameDecoderFuzzTest {

	@FuzzTest(maxDuration = "10s")
	void decodersTakeTheSameFramesHoweverTheBytesAreSplit(FuzzedDataProvider data) {
		FrameCodec codec = data.pickValue(EnumSet.complementOf(EnumSet.of(Framing.CHUNK)))
			.codec(data.consumeInt(1, 4096));
		FrameDecoderTest.Storage storage = data.pickValue(FrameDecoderTest.Storage.values());
		long splitSeed = data.consumeLong();
		int most = data.consumeInt(1, 512);
		byte[] bytes = data.consumeRemainingAsBytes();

		assertThat(FrameDecoderTest.decode(codec, bytes, FrameDecoderTest.randomSplits(splitSeed, most), storage))
			.isEqualTo(FrameDecoderTest.decode(codec, bytes, () -> Integer.MAX_VALUE, storage));
	}

}
