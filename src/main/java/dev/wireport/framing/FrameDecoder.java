package dev.wireport.framing;

import io.netty.channel.ChannelInboundHandler;

/**
 * A framing's decoder in a connection's Netty pipeline: a {@code ByteToMessageDecoder}
 * that turns the connection's bytes into one {@code byte[]} per payload, framing bytes
 * removed, copied out of the connection's buffer (so that nothing after it holds a buffer
 * to release), and throws {@link FrameException} as soon as the bytes received prove a
 * frame too large or malformed, before the rest of it is buffered. When the peer ends its
 * side, a frame left unfinished is refused with {@link FrameCodec#endedMidFrame(int)
 * endedMidFrame}. One decoder serves one connection; {@link FrameCodec#newDecoder()}
 * makes a new one.
 */
public interface FrameDecoder extends ChannelInboundHandler {

	/**
	 * Bytes received of a frame not yet complete, which the frame timeout watches.
	 * @return the bytes buffered, 0 between frames
	 */
	int pendingBytes();

	/**
	 * While set, the decoder passes on one frame per read and keeps the rest buffered:
	 * how a connection whose replies the peer does not read stops taking frames.
	 * @param singleDecode whether to decode one frame at a time
	 * @see io.netty.handler.codec.ByteToMessageDecoder#setSingleDecode(boolean)
	 */
	void setSingleDecode(boolean singleDecode);

}
