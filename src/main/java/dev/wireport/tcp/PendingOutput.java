package dev.wireport.tcp;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * The replies of a {@link LoopConnection} not yet taken by its non-blocking socket. The
 * codecs write into it as into any stream; {@link #writeTo(SocketChannel)} then sends as
 * much as the socket takes, and keeps the rest for when it can take more. It starts small
 * and grows only while replies wait: a connection answered one message at a time keeps a
 * few hundred bytes.
 */
final class PendingOutput extends OutputStream {

	private final int initialSize;

	/** The most kept once everything is sent; a burst's larger buffer is let go. */
	private final int keptSize;

	private byte[] buffer;

	/** Where the bytes not yet sent start. */
	private int start;

	/** Where they end. */
	private int end;

	PendingOutput(int initialSize, int keptSize) {
		this.initialSize = initialSize;
		this.keptSize = keptSize;
		this.buffer = new byte[initialSize];
	}

	@Override
	public void write(int b) {
		makeRoom(1);
		this.buffer[this.end++] = (byte) b;
	}

	@Override
	public void write(byte[] bytes, int offset, int length) {
		makeRoom(length);
		System.arraycopy(bytes, offset, this.buffer, this.end, length);
		this.end += length;
	}

	private void makeRoom(int length) {
		if (this.buffer.length - this.end >= length) {
			return;
		}
		int waiting = this.end - this.start;
		if (this.buffer.length - waiting >= length) {
			System.arraycopy(this.buffer, this.start, this.buffer, 0, waiting);
		}
		else {
			byte[] larger = new byte[Math.max(waiting + length, 2 * this.buffer.length)];
			System.arraycopy(this.buffer, this.start, larger, 0, waiting);
			this.buffer = larger;
		}
		this.start = 0;
		this.end = waiting;
	}

	boolean isEmpty() {
		return this.start == this.end;
	}

	/**
	 * Sends what waits, as far as the socket takes it without blocking.
	 * @param channel the connection's non-blocking channel
	 * @return whether everything was sent
	 * @throws IOException when the socket fails
	 */
	boolean writeTo(SocketChannel channel) throws IOException {
		while (this.start < this.end) {
			int written = channel.write(ByteBuffer.wrap(this.buffer, this.start, this.end - this.start));
			if (written == 0) {
				return false;
			}
			this.start += written;
		}
		this.start = 0;
		this.end = 0;
		if (this.buffer.length > this.keptSize) {
			this.buffer = new byte[this.initialSize];
		}
		return true;
	}

}
