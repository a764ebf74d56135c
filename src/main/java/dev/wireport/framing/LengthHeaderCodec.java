package dev.wireport.framing;

import java.nio.ByteOrder;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;

/**
 * A frame is a length header of 1, 2 or 4 bytes followed by that many payload bytes. The
 * 1- and 2-byte headers are unsigned; the 4-byte header is a signed int, as Spring
 * Integration's {@code ByteArrayLengthHeaderSerializer} and Go's
 * {@code binary.Read(..., int32)} treat it, so a negative length is malformed. Decoded by
 * Netty's {@link LengthFieldBasedFrameDecoder}, in either byte order; the length is
 * checked against the maximum frame size as soon as the header is complete, before any
 * payload byte is buffered.
 */
public final class LengthHeaderCodec implements FrameCodec {

	private final int headerSize;

	private final ByteOrder order;

	private final int maxFrameSize;

	public LengthHeaderCodec(int headerSize, ByteOrder order, int maxFrameSize) {
		if (headerSize != 1 && headerSize != 2 && headerSize != 4) {
			throw new IllegalArgumentException("Length header size must be 1, 2 or 4, not " + headerSize);
		}
		this.headerSize = headerSize;
		this.order = order;
		this.maxFrameSize = (int) Math.min(maxFrameSize, largestLength(headerSize));
	}

	private static long largestLength(int headerSize) {
		return (headerSize == 4) ? Integer.MAX_VALUE : (1L << (8 * headerSize)) - 1;
	}

	@Override
	public int maxFrameSize() {
		return this.maxFrameSize;
	}

	/**
	 * Checks the length a whole header announces.
	 * @param header the header's value as read, unsigned
	 * @return the payload length
	 * @throws FrameException when the length is negative or exceeds the maximum frame
	 * size
	 */
	private int payloadLength(long header) {
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
	public FrameDecoder newDecoder() {
		return new Decoder();
	}

	@Override
	public void encode(byte[] payload, ByteBuf out) {
		String problem = checkEncodable(payload);
		if (problem != null) {
			throw new IllegalArgumentException("Cannot frame a payload of " + payload.length + " bytes: " + problem);
		}
		int length = payload.length;
		boolean bigEndian = this.order == ByteOrder.BIG_ENDIAN;
		switch (this.headerSize) {
			case 1 -> out.writeByte(length);
			case 2 -> out.writeShort(bigEndian ? length : Short.reverseBytes((short) length));
			default -> out.writeInt(bigEndian ? length : Integer.reverseBytes(length));
		}
		out.writeBytes(payload);
	}

	@Override
	public String checkEncodable(byte[] payload) {
		long largest = largestLength(this.headerSize);
		return (payload.length <= largest) ? null
				: "it is longer than a " + this.headerSize + "-byte length header can describe (" + largest + ")";
	}

	/**
	 * Netty's decoder, header stripped, with wireport's rules for the length: signed for
	 * 4 bytes, refused with wireport's error texts. Each payload is copied straight into
	 * an array of its own, without the retained slice of the connection's buffer that
	 * Netty would make and the next handler release.
	 */
	private final class Decoder extends LengthFieldBasedFrameDecoder implements FrameDecoder {

		Decoder() {
			super(LengthHeaderCodec.this.order, LengthHeaderCodec.this.maxFrameSize + LengthHeaderCodec.this.headerSize,
					0, LengthHeaderCodec.this.headerSize, 0, LengthHeaderCodec.this.headerSize, true);
		}

		@Override
		protected Object decode(ChannelHandlerContext ctx, ByteBuf in) throws Exception {
			ByteBuf frame = (ByteBuf) super.decode(ctx, in);
			return (frame != null) ? frame.array() : null;
		}

		/**
		 * The payload in an array of its own, wrapped only to satisfy Netty's signature:
		 * {@link #decode(ChannelHandlerContext, ByteBuf)} hands the array on.
		 */
		@Override
		protected ByteBuf extractFrame(ChannelHandlerContext ctx, ByteBuf buffer, int index, int length) {
			return Unpooled.wrappedBuffer(ByteBufUtil.getBytes(buffer, index, length));
		}

		@Override
		protected long getUnadjustedFrameLength(ByteBuf buf, int offset, int length, ByteOrder order) {
			long header = switch (length) {
				case 1 -> buf.getUnsignedByte(offset);
				case 2 ->
					(order == ByteOrder.BIG_ENDIAN) ? buf.getUnsignedShort(offset) : buf.getUnsignedShortLE(offset);
				default -> (order == ByteOrder.BIG_ENDIAN) ? buf.getUnsignedInt(offset) : buf.getUnsignedIntLE(offset);
			};
			return payloadLength(header);
		}

		/**
		 * What is left once the whole frames are taken is a frame the peer never
		 * finished: counted as header bytes while the header is incomplete, then as
		 * payload bytes only.
		 */
		@Override
		protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
			int received = in.readableBytes();
			if (received > 0) {
				int headerSize = LengthHeaderCodec.this.headerSize;
				throw FrameCodec.endedMidFrame((received < headerSize) ? received : received - headerSize);
			}
		}

		@Override
		public int pendingBytes() {
			return actualReadableBytes();
		}

	}

}
