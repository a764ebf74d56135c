package dev.wireport.framing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;

import org.springframework.integration.ip.tcp.serializer.SoftEndOfStreamException;

/**
 * The seed's protocol, which has no framing: a message is whatever one read delivers, so
 * writes that arrive together are glued into one message (the "sticky packet" lesson).
 * Reading blocks for the first byte and then takes only what the stream already holds
 * ({@link InputStream#available()}). Replies are written as they are.
 */
public final class ChunkCodec implements FrameCodec {

	private final int maxFrameSize;

	public ChunkCodec(int maxFrameSize) {
		this.maxFrameSize = maxFrameSize;
	}

	@Override
	public int maxFrameSize() {
		return this.maxFrameSize;
	}

	@Override
	public byte[] deserialize(InputStream in) throws IOException {
		int first = in.read();
		if (first < 0) {
			throw new SoftEndOfStreamException("Stream closed between chunks");
		}
		int length = 1 + in.available();
		checkSize(length);
		byte[] chunk = new byte[length];
		chunk[0] = (byte) first;
		int read = in.readNBytes(chunk, 1, length - 1);
		if (read < length - 1) {
			throw FrameCodec.endedMidFrame(1 + read);
		}
		return chunk;
	}

	private void checkSize(int length) throws FrameException {
		if (length > this.maxFrameSize) {
			throw FrameCodec.tooLarge(length, this.maxFrameSize);
		}
	}

	@Override
	public FrameDecoder decoder() {
		return new Decoder();
	}

	@Override
	public void serialize(byte[] payload, OutputStream out) throws IOException {
		out.write(payload);
	}

	@Override
	public String checkEncodable(byte[] payload) {
		return null;
	}

	/**
	 * Takes whatever the connection's buffer holds as one message, as
	 * {@link #deserialize(InputStream)} takes what one read delivered: called after each
	 * read, it gives one message per read. It keeps no state.
	 */
	private final class Decoder implements FrameDecoder {

		@Override
		public byte[] next(ByteBuffer buffer) throws FrameException {
			if (!buffer.hasRemaining()) {
				return null;
			}
			checkSize(buffer.remaining());
			byte[] chunk = new byte[buffer.remaining()];
			buffer.get(chunk);
			return chunk;
		}

		@Override
		public byte[] end(ByteBuffer buffer) throws FrameException {
			// Whatever is left was delivered by the last read: one more message.
			return next(buffer);
		}

	}

}
