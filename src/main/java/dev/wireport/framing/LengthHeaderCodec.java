package dev.wireport.framing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteOrder;

import org.springframework.integration.ip.tcp.serializer.SoftEndOfStreamException;

/**
 * A frame is a length header of 1, 2 or 4 bytes followed by that many payload bytes. The
 * 1- and 2-byte headers are unsigned; the 4-byte header is a signed int, as Spring
 * Integration's {@code ByteArrayLengthHeaderSerializer} and Go's
 * {@code binary.Read(..., int32)} treat it, so a negative length is malformed. The length
 * is checked against the maximum frame size before any payload byte is read.
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
		long length = 0;
		for (int i = 0; i < this.headerSize; i++) {
			int next = in.read();
			if (next < 0) {
				if (i == 0) {
					throw new SoftEndOfStreamException("Stream closed between frames");
				}
				throw FrameCodec.endedMidFrame(i);
			}
			length = this.bigEndian ? (length << 8) | next : length | ((long) next << (8 * i));
		}
		if (this.headerSize == 4) {
			length = (int) length;
		}
		if (length < 0) {
			throw new FrameException(FrameException.Reason.MALFORMED, "negative length header " + length);
		}
		if (length > this.maxFrameSize) {
			throw FrameCodec.tooLarge(length, this.maxFrameSize);
		}
		return FrameCodec.readFully(in, (int) length);
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

}
