package dev.wireport.framing;

import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

/**
 * A frame is its payload followed by a terminator ({@code \n}, {@code \r\n} or
 * {@code NUL}), optionally preceded by a start byte ({@code STX}). The decoder is
 * wireport's own {@code ByteToMessageDecoder} rather than Netty's
 * {@code DelimiterBasedFrameDecoder}, which passes each frame on as a retained slice of
 * the connection's buffer for the next handler to copy and release (a pipelined message
 * then cost 0.9 µs of server CPU, 0.7 with the payload copied out here: docs/history.md)
 * and searches the buffered bytes again at every read. Like Netty's, it fails fast once a
 * frame outgrows its limit and never buffers more than that; it checks the start byte as
 * soon as a frame's first byte arrives.
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
	 * Takes each payload out of the connection's buffered bytes as a {@code byte[]} of
	 * its own. Remembers how far it searched without finding a terminator, so a frame
	 * that arrives over many reads is searched once. A frame longer than the maximum is
	 * refused as soon as the bytes buffered without a terminator prove it; the start byte
	 * as soon as a frame's first byte arrives.
	 */
	private final class Decoder extends ByteToMessageDecoder implements FrameDecoder {

		/** Bytes after the reader index already searched for a terminator, in vain. */
		private int searched;

		@Override
		protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
			byte[] payload = nextPayload(in);
			if (payload != null) {
				out.add(payload);
			}
		}

		private byte[] nextPayload(ByteBuf in) {
			int startBytes = startBytes();
			int start = in.readerIndex();
			if (startBytes > 0 && in.isReadable()) {
				int first = in.getUnsignedByte(start);
				if (first != DelimitedCodec.this.startByte) {
					throw new FrameException(FrameException.Reason.MALFORMED,
							String.format("expected start byte 0x%02x at the start of a frame, got 0x%02x",
									DelimitedCodec.this.startByte, first));
				}
			}
			byte[] terminator = DelimitedCodec.this.terminator;
			int payloadStart = start + startBytes;
			// A terminator may begin in the bytes searched before, its rest arriving now.
			int from = Math.max(payloadStart, start + this.searched - (terminator.length - 1));
			int end = indexOf(in, from, terminator);
			if (end < 0) {
				this.searched = in.readableBytes();
				if (this.searched > startBytes + DelimitedCodec.this.maxFrameSize + terminator.length - 1) {
					throw tooLarge();
				}
				return null;
			}
			this.searched = 0;
			if (end - payloadStart > DelimitedCodec.this.maxFrameSize) {
				throw tooLarge();
			}
			byte[] payload = ByteBufUtil.getBytes(in, payloadStart, end - payloadStart);
			in.readerIndex(end + terminator.length);
			return payload;
		}

		/**
		 * The index of the first terminator at or after {@code from}, or -1.
		 */
		private static int indexOf(ByteBuf in, int from, byte[] terminator) {
			int last = in.writerIndex() - terminator.length;
			for (int at = from; at <= last; at++) {
				at = in.indexOf(at, last + 1, terminator[0]);
				if (at < 0) {
					return -1;
				}
				if (matchesRest(in, at, terminator)) {
					return at;
				}
			}
			return -1;
		}

		private static boolean matchesRest(ByteBuf in, int at, byte[] terminator) {
			for (int i = 1; i < terminator.length; i++) {
				if (in.getByte(at + i) != terminator[i]) {
					return false;
				}
			}
			return true;
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
