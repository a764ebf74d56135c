package dev.wireport.framing;

import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

/**
 * The seed's protocol, which has no framing: a message is whatever one read delivers, so
 * writes that arrive together are glued into one message (the "sticky packet" lesson).
 * Netty has no decoder for this: each read reaches the decoder as one buffer, taken
 * whole. Replies are written as they are.
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
	 * Takes what one read brought as one message; it keeps nothing between reads.
	 */
	private final class Decoder extends ByteToMessageDecoder implements FrameDecoder {

		@Override
		protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
			int length = in.readableBytes();
			if (length > ChunkCodec.this.maxFrameSize) {
				throw FrameCodec.tooLarge(length, ChunkCodec.this.maxFrameSize);
			}
			byte[] payload = new byte[length];
			in.readBytes(payload);
			out.add(payload);
		}

		@Override
		public int pendingBytes() {
			return actualReadableBytes();
		}

	}

}
