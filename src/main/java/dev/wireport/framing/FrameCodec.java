package dev.wireport.framing;

import java.io.IOException;
import java.io.InputStream;

import org.springframework.core.serializer.Deserializer;
import org.springframework.core.serializer.Serializer;
import org.springframework.integration.ip.tcp.serializer.SoftEndOfStreamException;

/**
 * Reads and writes one framing's messages on a byte stream. The same instance serves the
 * server's connections and the command-line clients: it keeps no state between calls, so
 * one codec is shared by every connection of a listener.
 *
 * <p>
 * {@link #deserialize(InputStream)} returns one message payload; it throws
 * {@link SoftEndOfStreamException} when the stream ends cleanly between frames and
 * {@link FrameException} when the bytes break the framing or exceed the maximum frame
 * size. It never buffers more than the maximum frame size. {@link #decoder()} gives the
 * non-blocking counterpart, which takes the same frames out of a connection's
 * {@link java.nio.ByteBuffer} as its bytes arrive.
 */
public interface FrameCodec extends Serializer<byte[]>, Deserializer<byte[]> {

	/**
	 * The largest payload this codec reads.
	 * @return the maximum frame size in bytes
	 */
	int maxFrameSize();

	/**
	 * Reads one frame.
	 * @param in the stream
	 * @return the payload, without any framing bytes
	 * @throws FrameException when the frame is too large or malformed
	 * @throws SoftEndOfStreamException when the stream ends before a new frame starts
	 * @throws IOException when the stream fails
	 */
	@Override
	byte[] deserialize(InputStream in) throws IOException;

	/**
	 * Creates a decoder for one connection: it may keep state between calls (how far the
	 * current frame has been scanned), so each connection needs its own, while the codec
	 * itself stays stateless and shared.
	 * @return a new decoder
	 */
	FrameDecoder decoder();

	/**
	 * Whether {@code payload} can be written as one frame that reads back unchanged.
	 * @param payload the payload
	 * @return {@code null} when it can, otherwise the reason why not
	 */
	String checkEncodable(byte[] payload);

	/**
	 * Reads exactly {@code length} bytes, throwing a malformed-frame error if the stream
	 * ends first.
	 * @param in the stream
	 * @param length the number of bytes
	 * @return the bytes
	 * @throws IOException when the stream fails or ends early
	 */
	static byte[] readFully(InputStream in, int length) throws IOException {
		byte[] bytes = in.readNBytes(length);
		if (bytes.length < length) {
			throw endedMidFrame(bytes.length);
		}
		return bytes;
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
