package dev.wireport.framing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

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
		if (rest.length >= this.maxFrameSize) {
			throw new FrameException(FrameException.Reason.TOO_LARGE,
					"message exceeds the maximum frame size of " + this.maxFrameSize + " bytes");
		}
		byte[] message = new byte[1 + rest.length];
		message[0] = (byte) first;
		System.arraycopy(rest, 0, message, 1, rest.length);
		return message;
	}

	@Override
	public void serialize(byte[] payload, OutputStream out) throws IOException {
		out.write(payload);
	}

	@Override
	public String checkEncodable(byte[] payload) {
		return null;
	}

}
