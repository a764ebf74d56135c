package dev.wireport.framing;

import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DelimiterBasedFrameDecoder;
import io.netty.handler.codec.TooLongFrameException;

/**
 * A frame is its payload followed by a terminator ({@code \n}, {@code \r\n} or
 * {@code NUL}), optionally preceded by a start byte ({@code STX}). Decoded by Netty's
 * {@link DelimiterBasedFrameDecoder}, which fails fast once a frame outgrows its limit
 * and never buffers more than that (it searches the buffered bytes again at every read,
 * so a large frame that arrives in many reads decodes slower than a length header:
 * docs/benchmarks.md); this codec adds the start byte, checked as soon as a frame's first
 * byte arrives, and wireport's error texts.
 */
public final class DelimitedCodec implements FrameCodec {

	private static final int NO_START_BYTE = -1;

	private final int startByte;

	private final byte[] terminator;

	private final int maxFrameSize;

	private DelimitedCodec(int startByte, byte[] terminator, int maxFrameSize) {
		this.startByte = startByte;
		this.terminator = terminator;
		this.maxFrameSize = maxFrameSize;
	}

	public static DelimitedCodec terminatedBy(byte[] terminator, int maxFrameSize) {
		return new DelimitedCodec(NO_START_BYTE, terminator.clone(), maxFrameSize);
	}

	public static DelimitedCodec between(byte startByte, byte endByte, int maxFrameSize) {
		return new DelimitedCodec(startByte, new byte[] { endByte }, maxFrameSize);
	}

	@Override
	public int maxFrameSize() {
		return this.maxFrameSize;
	}

	private int startBytes() {
		return (this.startByte != NO_START_BYTE) ? 1 : 0;
	}

	private FrameException tooLarge() {
		return new FrameException(FrameException.Reason.TOO_LARGE, "frame exceeds the maximum frame size of "
				+ this.maxFrameSize + " bytes (no terminator within the limit)");
	}

	@Override
	public FrameDecoder newDecoder() {
		return new Decoder();
	}

	@Override
	public void encode(byte[] payload, ByteBuf out) {
		if (this.startByte != NO_START_BYTE) {
			out.writeByte(this.startByte);
		}
		out.writeBytes(payload).writeBytes(this.terminator);
	}

	@Override
	public String checkEncodable(byte[] payload) {
		return indexOf(payload, this.terminator) < 0 ? null : "it contains the framing's terminator";
	}

	private static int indexOf(byte[] haystack, byte[] needle) {
		outer: for (int i = 0; i <= haystack.length - needle.length; i++) {
			for (int j = 0; j < needle.length; j++) {
				if (haystack[i + j] != needle[j]) {
					continue outer;
				}
			}
			return i;
		}
		return -1;
	}

	/**
	 * Netty's decoder with the frame limit set so that a payload of exactly the maximum
	 * frame size may still be followed by all but the last terminator byte before the
	 * frame is known to be complete; a frame found longer than the maximum is refused
	 * here.
	 */
	private final class Decoder extends DelimiterBasedFrameDecoder implements FrameDecoder {

		Decoder() {
			super(startBytes() + DelimitedCodec.this.maxFrameSize + DelimitedCodec.this.terminator.length - 1, true,
					true, Unpooled.wrappedBuffer(DelimitedCodec.this.terminator));
		}

		@Override
		protected Object decode(ChannelHandlerContext ctx, ByteBuf buffer) throws Exception {
			int startBytes = startBytes();
			if (startBytes > 0 && buffer.isReadable()) {
				int first = buffer.getUnsignedByte(buffer.readerIndex());
				if (first != DelimitedCodec.this.startByte) {
					throw new FrameException(FrameException.Reason.MALFORMED,
							String.format("expected start byte 0x%02x at the start of a frame, got 0x%02x",
									DelimitedCodec.this.startByte, first));
				}
			}
			ByteBuf frame;
			try {
				frame = (ByteBuf) super.decode(ctx, buffer);
			}
			catch (TooLongFrameException ex) {
				throw tooLarge();
			}
			if (frame == null) {
				return null;
			}
			frame.skipBytes(startBytes);
			if (frame.readableBytes() > DelimitedCodec.this.maxFrameSize) {
				frame.release();
				throw tooLarge();
			}
			return frame;
		}

		/**
		 * The whole frames are taken before this is called: what is left, start byte
		 * included, is a frame the peer never finished.
		 */
		@Override
		protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
			if (in.isReadable()) {
				throw FrameCodec.endedMidFrame(in.readableBytes());
			}
		}

		@Override
		public int pendingBytes() {
			return actualReadableBytes();
		}

	}

}
