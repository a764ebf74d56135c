package dev.wireport.framing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;

import org.springframework.integration.ip.tcp.serializer.SoftEndOfStreamException;

/**
 * A frame is its payload followed by a terminator ({@code \n}, {@code \r\n} or
 * {@code NUL}), optionally preceded by a start byte ({@code STX}). The payload is
 * collected in a buffer that grows only as bytes arrive, so an idle or slow connection
 * holds a few bytes, and a frame is refused as soon as it outgrows the maximum frame
 * size, before the rest of it is read. The {@link #decoder() decoder} applies the same
 * rules to bytes already in a buffer.
 */
public final class DelimitedCodec implements FrameCodec {

	private static final int NO_START_BYTE = -1;

	private static final int INITIAL_BUFFER = 128;

	private final int startByte;

	private final byte[] terminator;

	private final int maxFrameSize;

	/**
	 * The most frame bytes (after any start byte) that may be read before the terminator
	 * ends: a payload of exactly maxFrameSize bytes may still be followed by all but the
	 * last terminator byte before the frame is known to be complete.
	 */
	private final int limit;

	private DelimitedCodec(int startByte, byte[] terminator, int maxFrameSize) {
		this.startByte = startByte;
		this.terminator = terminator;
		this.maxFrameSize = maxFrameSize;
		this.limit = maxFrameSize + terminator.length - 1;
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
		int startBytes = startBytes();
		if (startBytes > 0) {
			checkStartByte(first);
			first = in.read();
			if (first < 0) {
				throw FrameCodec.endedMidFrame(startBytes);
			}
		}
		byte[] buffer = new byte[Math.min(INITIAL_BUFFER, this.limit + 1)];
		buffer[0] = (byte) first;
		int length = 1;
		while (!endsWithTerminator(buffer, 0, length)) {
			if (length > this.limit) {
				throw tooLarge();
			}
			if (length == buffer.length) {
				buffer = Arrays.copyOf(buffer, Math.min(buffer.length * 2, this.limit + 1));
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

	private int startBytes() {
		return (this.startByte != NO_START_BYTE) ? 1 : 0;
	}

	private void checkStartByte(int first) throws FrameException {
		if (first != this.startByte) {
			throw new FrameException(FrameException.Reason.MALFORMED, String
				.format("expected start byte 0x%02x at the start of a frame, got 0x%02x", this.startByte, first));
		}
	}

	private FrameException tooLarge() {
		return new FrameException(FrameException.Reason.TOO_LARGE, "frame exceeds the maximum frame size of "
				+ this.maxFrameSize + " bytes (no terminator within the limit)");
	}

	/**
	 * Whether the bytes from {@code from} to {@code end} end with the terminator; bytes
	 * before {@code from} (a start byte) cannot be part of it.
	 */
	private boolean endsWithTerminator(byte[] bytes, int from, int end) {
		int start = end - this.terminator.length;
		if (start < from) {
			return false;
		}
		for (int i = 0; i < this.terminator.length; i++) {
			if (bytes[start + i] != this.terminator[i]) {
				return false;
			}
		}
		return true;
	}

	/**
	 * Like {@link #endsWithTerminator(byte[], int, int)}, for a buffer without an
	 * accessible array (a direct buffer).
	 */
	private boolean endsWithTerminator(ByteBuffer buffer, int from, int end) {
		int start = end - this.terminator.length;
		return start >= from && buffer.slice(start, this.terminator.length).equals(ByteBuffer.wrap(this.terminator));
	}

	/**
	 * Looks for the end of a terminator among the bytes from {@code from} to {@code to}
	 * (absolute indexes in {@code buffer}); the terminator may begin before {@code from},
	 * but not before {@code frameStart}.
	 * @return the index just past the first terminator found, or -1
	 */
	private int terminatorEnd(ByteBuffer buffer, int frameStart, int from, int to) {
		byte last = this.terminator[this.terminator.length - 1];
		if (buffer.hasArray()) {
			// The backing array spares a bounds check and a call per byte.
			byte[] array = buffer.array();
			int offset = buffer.arrayOffset();
			for (int i = offset + from; i < offset + to; i++) {
				if (array[i] == last && endsWithTerminator(array, offset + frameStart, i + 1)) {
					return i + 1 - offset;
				}
			}
			return -1;
		}
		for (int i = from; i < to; i++) {
			if (buffer.get(i) == last && endsWithTerminator(buffer, frameStart, i + 1)) {
				return i + 1;
			}
		}
		return -1;
	}

	@Override
	public FrameDecoder decoder() {
		return new Decoder();
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

	/**
	 * Finds frames in one connection's buffer. It remembers how many bytes of the current
	 * frame it has scanned, counted from the frame's first byte (the buffer's position,
	 * which moves when the caller compacts the buffer), so that a frame arriving a byte
	 * at a time is still scanned once. The bytes of a frame stay unread in the buffer
	 * until the frame is taken, so a terminator split across two calls is found by
	 * looking back from its last byte.
	 */
	private final class Decoder implements FrameDecoder {

		/**
		 * Bytes of the current frame, from the buffer's position and start byte included,
		 * already scanned without finding the end of a terminator.
		 */
		private int scanned;

		@Override
		public byte[] next(ByteBuffer buffer) throws FrameException {
			int position = buffer.position();
			int startBytes = startBytes();
			if (this.scanned < startBytes && buffer.hasRemaining()) {
				checkStartByte(buffer.get(position) & 0xff);
				this.scanned = startBytes;
			}
			// No further than deserialize reads: a frame without a terminator by then is
			// too large, whatever follows.
			int scanEnd = (int) Math.min(buffer.remaining(), startBytes + DelimitedCodec.this.limit + 1L);
			int frameEnd = terminatorEnd(buffer, position + startBytes, position + this.scanned, position + scanEnd);
			if (frameEnd < 0) {
				this.scanned = scanEnd;
				if (scanEnd - startBytes > DelimitedCodec.this.limit) {
					throw tooLarge();
				}
				return null;
			}
			this.scanned = 0;
			byte[] payload = new byte[frameEnd - position - startBytes - DelimitedCodec.this.terminator.length];
			buffer.get(position + startBytes, payload);
			buffer.position(frameEnd);
			return payload;
		}

		@Override
		public byte[] end(ByteBuffer buffer) throws FrameException {
			byte[] frame = next(buffer);
			if (frame != null || !buffer.hasRemaining()) {
				return frame;
			}
			// What deserialize counts: the start byte and the frame bytes received.
			throw FrameCodec.endedMidFrame(buffer.remaining());
		}

	}

}
