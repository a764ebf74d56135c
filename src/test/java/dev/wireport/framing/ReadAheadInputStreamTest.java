package dev.wireport.framing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ReadAheadInputStreamTest {

	@Test
	void aBufferThatReadsFillDoublesUpToItsMaximum() throws IOException {
		byte[] stream = new byte[100_000];
		RecordingInput source = new RecordingInput(new ByteArrayInputStream(stream), Integer.MAX_VALUE);
		ReadAheadInputStream in = new ReadAheadInputStream(source, 1024, 8192, null);

		assertThat(in.readAllBytes()).isEqualTo(stream);
		assertThat(source.asked).startsWith(1024, 2048, 4096, 8192, 8192).allMatch((asked) -> asked <= 8192);
	}

	@Test
	void aBufferThatNoReadFillsKeepsItsInitialSize() throws IOException {
		RecordingInput source = new RecordingInput(new ByteArrayInputStream(new byte[64 * 100]), 64);
		ReadAheadInputStream in = new ReadAheadInputStream(source, 1024, 8192, null);

		assertThat(in.readAllBytes()).hasSize(64 * 100);
		assertThat(source.asked).hasSizeGreaterThanOrEqualTo(100).containsOnly(1024);
	}

	/**
	 * Records the length each read asks for and returns at most {@code most} bytes, as a
	 * socket returns what has arrived.
	 */
	private static final class RecordingInput extends InputStream {

		private final InputStream source;

		private final int most;

		private final List<Integer> asked = new ArrayList<>();

		RecordingInput(InputStream source, int most) {
			this.source = source;
			this.most = most;
		}

		@Override
		public int read() throws IOException {
			return this.source.read();
		}

		@Override
		public int read(byte[] target, int offset, int length) throws IOException {
			this.asked.add(length);
			return this.source.read(target, offset, Math.min(length, this.most));
		}

	}

}
