package dev.wireport.framing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;

import org.springframework.integration.ip.tcp.serializer.SoftEndOfStreamException;

/**
 * A frame is its payload followed by a terminator ({@code \n}, {@code \r\n} or
 * {@code NUL}), optionally preceded by a start byte ({@code STX}). The payload is
 * collected in a buffer that grows only as bytes arrive, so an idle or slow connection
 * holds a few bytes, and a frame is refused as soon as it outgrows the maximum frame
 * size, before the rest of it is read.
 */
public final class DelimitedCodec implements FrameCodec {

	private static final int NO_START_BYTE = -1;

	private static final int INITIAL_BUFFER = 128;

	private final int startByte;

	private final byte[] terminator;

	private final int maxFrameSize;

	private DelimitedCodec(int startByte, byte[] terminator, int maxFrameSize) {
		this.startByte = startByte;
		this.terminator = terminator;
		this.maxFrameSize = maxFrameSize;
	}

	public static DelimitedCodec terminatedBy(byte[] terminator, int maxFrameSize) {
		return new DelimitedCodec(NO_START_BYTE, terminator.clone(), maxFrameSize);
	}

	public static DelimitedCodec between(byte startByte, byte endByte, int maxFrameSize) {
		return new DelimitedCodec(startByte, new byte[] { endByte }, maxFrameSize);
	}

	@Override
	public int maxFrameSize() {
		return this.maxFrameSize;
	}

	@Override
	public byte[] deserialize(InputStream in) throws IOException {
		int first = in.read();
		if (first < 0) {
			throw new SoftEndOfStreamException("Stream closed between frames");
		}
		int startBytes = 0;
		if (this.startByte != NO_START_BYTE) {
			startBytes = 1;
			if (first != this.startByte) {
				throw new FrameException(FrameException.Reason.MALFORMED, String
					.format("expected start byte 0x%02x at the start of a frame, got 0x%02x", this.startByte, first));
			}
			first = in.read();
			if (first < 0) {
				throw FrameCodec.endedMidFrame(startBytes);
			}
		}
		// A payload of exactly maxFrameSize bytes may still be followed by all but the
		// last terminator byte before the frame is known to be complete.
		int limit = this.maxFrameSize + this.terminator.length - 1;
		byte[] buffer = new byte[Math.min(INITIAL_BUFFER, limit + 1)];
		buffer[0] = (byte) first;
		int length = 1;
		while (!endsWithTerminator(buffer, length)) {
			if (length > limit) {
				throw new FrameException(FrameException.Reason.TOO_LARGE, "frame exceeds the maximum frame size of "
						+ this.maxFrameSize + " bytes (no terminator within the limit)");
			}
			if (length == buffer.length) {
				buffer = Arrays.copyOf(buffer, Math.min(buffer.length * 2, limit + 1));
			}
			int read = readThroughTerminator(in, buffer, length);
			if (read < 0) {
				throw FrameCodec.endedMidFrame(startBytes + length);
			}
			length += read;
		}
		return Arrays.copyOf(buffer, length - this.terminator.length);
	}

	/**
	 * Reads into the rest of {@code buffer}, stopping after the terminator's last byte:
	 * from a connection's read-ahead buffer in one copy, from any other stream a byte at
	 * a time, so that nothing past the frame is consumed.
	 */
	private int readThroughTerminator(InputStream in, byte[] buffer, int length) throws IOException {
		byte last = this.terminator[this.terminator.length - 1];
		if (in instanceof ReadAheadInputStream readAhead) {
			return readAhead.readThrough(last, buffer, length, buffer.length - length);
		}
		int next = in.read();
		if (next < 0) {
			return -1;
		}
		buffer[length] = (byte) next;
		return 1;
	}

	private boolean endsWithTerminator(byte[] buffer, int length) {
		int start = length - this.terminator.length;
		if (start < 0) {
			return false;
		}
		for (int i = 0; i < this.terminator.length; i++) {
			if (buffer[start + i] != this.terminator[i]) {
				return false;
			}
		}
		return true;
	}

	@Override
	public void serialize(byte[] payload, OutputStream out) throws IOException {
		if (this.startByte != NO_START_BYTE) {
			out.write(this.startByte);
		}
		out.write(payload);
		out.write(this.terminator);
	}

	@Override
	public String checkEncodable(byte[] payload) {
		return indexOf(payload, this.terminator) < 0 ? null : "it contains the framing's terminator";
	}

	private static int indexOf(byte[] haystack, byte[] needle) {
		outer: for (int i = 0; i <= haystack.length - needle.length; i++) {
			for (int j = 0; j < needle.length; j++) {
				if (haystack[i + j] != needle[j]) {
					continue outer;
				}
			}
			return i;
		}
		return -1;
	}

}
