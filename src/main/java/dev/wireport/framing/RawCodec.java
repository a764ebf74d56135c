package dev.wireport.framing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;

import org.springframework.integration.ip.tcp.serializer.SoftEndOfStreamException;

/**
 * One message per connection: it ends when the client closes its sending side
 * (half-close), and the reply is written back before the server closes. Reading stops one
 * byte past the maximum frame size, so an endless stream is refused, not buffered.
 */
public final class RawCodec implements FrameCodec {

	private final int maxFrameSize;

	public RawCodec(int maxFrameSize) {
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
			throw new SoftEndOfStreamException("Stream closed");
		}
		byte[] rest = in.readNBytes(this.maxFrameSize);
		checkSize(1 + rest.length);
		byte[] message = new byte[1 + rest.length];
		message[0] = (byte) first;
		System.arraycopy(rest, 0, message, 1, rest.length);
		return message;
	}

	/**
	 * Refuses a message once more bytes than the maximum frame size have arrived.
	 * @param received the bytes of the message received so far
	 * @throws FrameException when there are too many
	 */
	private void checkSize(int received) throws FrameException {
		if (received > this.maxFrameSize) {
			throw new FrameException(FrameException.Reason.TOO_LARGE,
					"message exceeds the maximum frame size of " + this.maxFrameSize + " bytes");
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
	 * Collects the one message in the connection's buffer until the peer ends the stream.
	 * It keeps no state: the buffer holds the message so far.
	 */
	private final class Decoder implements FrameDecoder {

		@Override
		public byte[] next(ByteBuffer buffer) throws FrameException {
			checkSize(buffer.remaining());
			return null;
		}

		@Override
		public byte[] end(ByteBuffer buffer) throws FrameException {
			checkSize(buffer.remaining());
			if (!buffer.hasRemaining()) {
				return null;
			}
			byte[] message = new byte[buffer.remaining()];
			buffer.get(message);
			return message;
		}

	}

}
