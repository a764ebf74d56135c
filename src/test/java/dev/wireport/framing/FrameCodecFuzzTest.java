package dev.wireport.framing;

import java.io.IOException;
import java.io.InputStream;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import org.springframework.integration.ip.tcp.serializer.SoftEndOfStreamException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Coverage-guided fuzzing of every codec: any framing, any limit, any bytes split into
 * any reads. A codec may only end with a frame within its limit, a clean end of stream or
 * its documented {@link FrameException}; anything else fails. The build fuzzes for ten
 * seconds (the surefire configuration sets {@code JAZZER_FUZZ=1}); a longer run is in
 * docs/reliability.md.
 */
class FrameCodecFuzzTest {

	@FuzzTest(maxDuration = "10s")
	void codecsRaiseOnlyTheirDocumentedErrors(FuzzedDataProvider data) throws IOException {
		Framing framing = data.pickValue(Framing.values());
		int limit = data.consumeInt(1, 4096);
		int step = data.consumeInt(1, 512);
		FrameCodec codec = framing.codec(limit);
		boolean readAhead = data.consumeBoolean();
		InputStream chunks = new ChunkedInput(data.consumeRemainingAsBytes(), step);
		// Half the time as on a connection: through a read-ahead buffer.
		InputStream in = readAhead ? new ReadAheadInputStream(chunks, step) : chunks;
		try {
			for (int frames = 0; frames < 10_000; frames++) {
				assertThat(codec.deserialize(in).length).isLessThanOrEqualTo(codec.maxFrameSize());
			}
		}
		catch (SoftEndOfStreamException | FrameException ex) {
			// The documented ways a codec stops.
		}
	}

}
