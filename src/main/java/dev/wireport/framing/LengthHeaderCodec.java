package dev.wireport.framing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.springframework.integration.ip.tcp.serializer.SoftEndOfStreamException;

/**
 * A frame is a length header of 1, 2 or 4 bytes followed by that many payload bytes. The
 * 1- and 2-byte headers are unsigned; the 4-byte header is a signed int, as Spring
 * Integration's {@code ByteArrayLengthHeaderSerializer} and Go's
 * {@code binary.Read(..., int32)} treat it, so a negative length is malformed. The length
 * is checked against the maximum frame size before any payload byte is read, by
 * {@link #deserialize(InputStream)} and by the {@link #decoder() decoder} alike.
 */
public final class LengthHeaderCodec implements FrameCodec {

	private final int headerSize;

	private final boolean bigEndian;

	private final int maxFrameSize;

	public LengthHeaderCodec(int headerSize, ByteOrder order, int maxFrameSize) {
		if (headerSize != 1 && headerSize != 2 && headerSize != 4) {
			throw new IllegalArgumentException("Length header size must be 1, 2 or 4, not " + headerSize);
		}
		this.headerSize = headerSize;
		this.bigEndian = order == ByteOrder.BIG_ENDIAN;
		this.maxFrameSize = (int) Math.min(maxFrameSize, largestLength(headerSize));
	}

	private static long largestLength(int headerSize) {
		return (headerSize == 4) ? Integer.MAX_VALUE : (1L << (8 * headerSize)) - 1;
	}

	@Override
	public int maxFrameSize() {
		return this.maxFrameSize;
	}

	@Override
	public byte[] deserialize(InputStream in) throws IOException {
		long header = 0;
		for (int i = 0; i < this.headerSize; i++) {
			int next = in.read();
			if (next < 0) {
				if (i == 0) {
					throw new SoftEndOfStreamException("Stream closed between frames");
				}
				throw FrameCodec.endedMidFrame(i);
			}
			header = withHeaderByte(header, next, i);
		}
		return FrameCodec.readFully(in, payloadLength(header));
	}

	/**
	 * Adds the header's byte number {@code index} to the bytes before it.
	 * @param header the value of the bytes before it
	 * @param next the byte, 0 to 255
	 * @param index its index in the header
	 * @return the value of the header so far
	 */
	private long withHeaderByte(long header, int next, int index) {
		return this.bigEndian ? (header << 8) | next : header | ((long) next << (8 * index));
	}

	/**
	 * Checks the length a whole header announces.
	 * @param header the header's value as read, unsigned
	 * @return the payload length
	 * @throws FrameException when the length is negative or exceeds the maximum frame
	 * size
	 */
	private int payloadLength(long header) throws FrameException {
		long length = (this.headerSize == 4) ? (int) header : header;
		if (length < 0) {
			throw new FrameException(FrameException.Reason.MALFORMED, "negative length header " + length);
		}
		if (length > this.maxFrameSize) {
			throw FrameCodec.tooLarge(length, this.maxFrameSize);
		}
		return (int) length;
	}

	@Override
	public FrameDecoder decoder() {
		return new Decoder();
	}

	@Override
	public void serialize(byte[] payload, OutputStream out) throws IOException {
		String problem = checkEncodable(payload);
		if (problem != null) {
			throw new IllegalArgumentException("Cannot frame a payload of " + payload.length + " bytes: " + problem);
		}
		int length = payload.length;
		byte[] header = new byte[this.headerSize];
		for (int i = 0; i < this.headerSize; i++) {
			int shift = 8 * (this.bigEndian ? this.headerSize - 1 - i : i);
			header[i] = (byte) (length >>> shift);
		}
		out.write(header);
		out.write(payload);
	}

	@Override
	public String checkEncodable(byte[] payload) {
		long largest = largestLength(this.headerSize);
		return (payload.length <= largest) ? null
				: "it is longer than a " + this.headerSize + "-byte length header can describe (" + largest + ")";
	}

	/**
	 * Takes frames from one connection's buffer. It keeps no state: a call re-reads the
	 * header, at most four bytes, which costs less than remembering it, and throws as
	 * soon as the header is complete if the length is bad.
	 */
	private final class Decoder implements FrameDecoder {

		@Override
		public byte[] next(ByteBuffer buffer) throws FrameException {
			int headerSize = LengthHeaderCodec.this.headerSize;
			if (buffer.remaining() < headerSize) {
				return null;
			}
			long header = 0;
			for (int i = 0; i < headerSize; i++) {
				header = withHeaderByte(header, buffer.get(buffer.position() + i) & 0xff, i);
			}
			int length = payloadLength(header);
			if (buffer.remaining() - headerSize < length) {
				return null;
			}
			buffer.position(buffer.position() + headerSize);
			byte[] payload = new byte[length];
			buffer.get(payload);
			return payload;
		}

		@Override
		public byte[] end(ByteBuffer buffer) throws FrameException {
			byte[] frame = next(buffer);
			int received = buffer.remaining();
			if (frame != null || received == 0) {
				return frame;
			}
			// What deserialize counts: the header bytes while the header is incomplete,
			// then the payload bytes only (FrameCodec.readFully).
			int headerSize = LengthHeaderCodec.this.headerSize;
			throw FrameCodec.endedMidFrame((received < headerSize) ? received : received - headerSize);
		}

	}

}
