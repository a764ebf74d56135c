package dev.wireport.framing;

import java.nio.ByteBuffer;

/**
 * Takes frames out of one connection's buffered bytes without blocking: the non-blocking
 * counterpart of {@link FrameCodec#deserialize(java.io.InputStream)}, for an event loop
 * that reads a socket into a buffer and decodes what has arrived. For the same bytes it
 * returns the same payloads and throws the same {@link FrameException} (reason and
 * message) as {@code deserialize}, however the bytes are split across reads.
 * <p>
 * A decoder may remember how far it has looked into the current frame, so it serves one
 * connection only; {@link FrameCodec#decoder()} makes a new one. Between calls the caller
 * may compact the buffer (move the unread bytes to its start) and append new bytes, but
 * must not change the unread bytes. A buffer of {@code maxFrameSize() +}
 * {@link #MAX_FRAMING_BYTES} bytes is always enough: once that many bytes are buffered
 * the decoder returns a frame or throws.
 */
public interface FrameDecoder {

	/**
	 * Framing bytes around one payload never exceed this (length header 4, crlf 2,
	 * stx+etx 2).
	 */
	int MAX_FRAMING_BYTES = 4;

	/**
	 * Takes the next whole frame from {@code buffer}, advancing its position past it.
	 * @param buffer the connection's bytes in read mode: position to limit are the unread
	 * bytes
	 * @return the payload, or {@code null} when the buffered bytes hold no whole frame
	 * yet (then the position is unchanged)
	 * @throws FrameException as soon as the buffered bytes prove the frame malformed or
	 * too large
	 */
	byte[] next(ByteBuffer buffer) throws FrameException;

	/**
	 * The peer ended the stream. The caller takes the whole frames with
	 * {@link #next(ByteBuffer)} first; what is left is either nothing, the last message
	 * (raw framing: the whole message; a frame still buffered is returned as {@code next}
	 * would return it) or the start of a frame that never ends.
	 * @param buffer the connection's bytes in read mode
	 * @return the last payload if the unread bytes form one, {@code null} when nothing is
	 * left (a clean end between frames)
	 * @throws FrameException when the stream ended inside a frame
	 * ({@link FrameCodec#endedMidFrame(int)}), or the unread bytes break the framing
	 */
	byte[] end(ByteBuffer buffer) throws FrameException;

}
