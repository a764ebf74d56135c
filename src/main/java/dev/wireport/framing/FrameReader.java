package dev.wireport.framing;

import java.io.IOException;
import java.io.InputStream;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;

/**
 * Reads frames from a blocking stream with the framing's own Netty decoder, so that a
 * command-line client and the server take the same frames and refuse the same bytes. Each
 * read of the stream reaches the decoder as one buffer, as a socket read does on the
 * server (which is what makes a {@code chunk} message).
 */
public final class FrameReader {

	private static final int READ_SIZE = 64 * 1024;

	private final InputStream in;

	private final EmbeddedChannel decoder;

	private final byte[] readBuffer = new byte[READ_SIZE];

	private boolean ended;

	public FrameReader(InputStream in, FrameCodec codec) {
		this.in = in;
		this.decoder = new EmbeddedChannel(codec.newDecoder());
	}

	/**
	 * Reads the next frame.
	 * @return its payload, or {@code null} when the stream ended between frames (or after
	 * a refusal)
	 * @throws FrameException when the bytes break the framing, or the stream ends inside
	 * a frame
	 * @throws IOException when the stream fails
	 */
	public byte[] read() throws IOException {
		byte[] frame;
		while ((frame = this.decoder.readInbound()) == null) {
			if (this.ended) {
				return null;
			}
			int count = this.in.read(this.readBuffer);
			try {
				if (count < 0) {
					this.ended = true;
					// Closing the channel makes the decoder take its last frame,
					// or refuse an unfinished one.
					this.decoder.finish();
				}
				else if (count > 0) {
					// A copy: the decoder may keep the buffer as its own until frames are
					// taken.
					this.decoder.writeInbound(Unpooled.copiedBuffer(this.readBuffer, 0, count));
				}
			}
			catch (FrameException ex) {
				this.ended = true;
				closeAfterRefusal(this.decoder);
				throw ex;
			}
		}
		return frame;
	}

	/**
	 * Closes a decoder's channel after it refused bytes, as a connection closes on a
	 * refused frame: what the decoder kept goes back to Netty's allocator now rather than
	 * to the garbage collector, which would report it as leaked.
	 * @param channel a channel whose only handler is a framing's decoder
	 */
	static void closeAfterRefusal(EmbeddedChannel channel) {
		if (channel.isOpen()) {
			// Removing the decoder hands what it kept on to the channel, which frees it;
			// a channel closed at the end of the stream has freed it already.
			channel.pipeline().removeFirst();
			channel.finishAndReleaseAll();
		}
	}

}
