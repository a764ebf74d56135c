package dev.wireport.framing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

/**
 * One framing's wire format, shared by the server's connections and the command-line
 * clients: {@link #newDecoder()} takes frames out of a connection's bytes in a Netty
 * pipeline (or a {@link FrameReader} on a blocking stream),
 * {@link #encode(byte[], ByteBuf)} writes one. The codec keeps no state; each connection
 * has a decoder of its own.
 */
public interface FrameCodec {

	/**
	 * Framing bytes around one payload never exceed this (length header 4, crlf 2,
	 * stx+etx 2).
	 */
	int MAX_FRAMING_BYTES = 4;

	/**
	 * The largest payload this codec reads.
	 * @return the maximum frame size in bytes
	 */
	int maxFrameSize();

	/**
	 * Creates the decoder of one connection.
	 * @return a new decoder
	 */
	FrameDecoder newDecoder();

	/**
	 * Writes one frame carrying {@code payload}.
	 * @param payload the payload
	 * @param out where the frame goes
	 * @throws IllegalArgumentException if the framing cannot carry the payload
	 */
	void encode(byte[] payload, ByteBuf out);

	/**
	 * Whether {@code payload} can be written as one frame that reads back unchanged.
	 * @param payload the payload
	 * @return {@code null} when it can, otherwise the reason why not
	 */
	String checkEncodable(byte[] payload);

	/**
	 * One frame as bytes, for a client writing to a blocking stream.
	 * @param payload the payload
	 * @return the framed bytes
	 */
	default byte[] frame(byte[] payload) {
		ByteBuf out = Unpooled.buffer(payload.length + MAX_FRAMING_BYTES);
		encode(payload, out);
		return ByteBufUtil.getBytes(out);
	}

	static FrameException endedMidFrame(int received) {
		return new FrameException(FrameException.Reason.MALFORMED,
				"connection closed in the middle of a frame after " + received + " bytes");
	}

	static FrameException tooLarge(long size, int maxFrameSize) {
		return new FrameException(FrameException.Reason.TOO_LARGE,
				"frame of " + size + " bytes exceeds the maximum frame size of " + maxFrameSize + " bytes");
	}

}
