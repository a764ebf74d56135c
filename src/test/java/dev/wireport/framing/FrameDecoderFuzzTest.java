package dev.wireport.framing;

import java.io.IOException;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Coverage-guided fuzzing of the non-blocking decoders: for any framing, any limit and
 * any bytes split into any reads, a codec's {@link FrameDecoder} must take the same
 * frames, and stop the same way, as its blocking reader on the same reads. A class of its
 * own because Jazzer fuzzes one target per JVM; the build fuzzes it for ten seconds, like
 * {@link FrameCodecFuzzTest}.
 */
class FrameDecoderFuzzTest {

	@FuzzTest(maxDuration = "10s")
	void decodersTakeWhatTheBlockingReadersTake(FuzzedDataProvider data) throws IOException {
		FrameCodec codec = data.pickValue(Framing.values()).codec(data.consumeInt(1, 4096));
		FrameDecoderTest.Storage storage = data.pickValue(FrameDecoderTest.Storage.values());
		long splitSeed = data.consumeLong();
		int most = data.consumeInt(1, 512);
		byte[] bytes = data.consumeRemainingAsBytes();

		assertThat(FrameDecoderTest.decode(codec, bytes, FrameDecoderTest.randomSplits(splitSeed, most), storage))
			.isEqualTo(FrameDecoderTest.deserialize(codec, bytes, FrameDecoderTest.randomSplits(splitSeed, most)));
	}

}
