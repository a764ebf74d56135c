package dev.wireport.framing;

import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

/**
 * One message per connection: it ends when the client closes its sending side
 * (half-close), and the reply is written back before the server closes. Netty has no
 * decoder for this: the bytes collect until the peer's half-close, and a message is
 * refused as soon as more than the maximum frame size has arrived, so an endless stream
 * is refused, not buffered.
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

	private void checkSize(int received) {
		if (received > this.maxFrameSize) {
			throw new FrameException(FrameException.Reason.TOO_LARGE,
					"message exceeds the maximum frame size of " + this.maxFrameSize + " bytes");
		}
	}

	@Override
	public FrameDecoder newDecoder() {
		return new Decoder();
	}

	@Override
	public void encode(byte[] payload, ByteBuf out) {
		out.writeBytes(payload);
	}

	@Override
	public String checkEncodable(byte[] payload) {
		return null;
	}

	/**
	 * Collects the one message until the peer ends the stream.
	 */
	private final class Decoder extends ByteToMessageDecoder implements FrameDecoder {

		@Override
		protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
			checkSize(in.readableBytes());
		}

		@Override
		protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
			checkSize(in.readableBytes());
			if (in.isReadable()) {
				byte[] payload = new byte[in.readableBytes()];
				in.readBytes(payload);
				out.add(payload);
			}
		}

		@Override
		public int pendingBytes() {
			return actualReadableBytes();
		}

	}

}
