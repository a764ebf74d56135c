package dev.wireport.tcp;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Holds a connection's replies until they are flushed, like a
 * {@link java.io.BufferedOutputStream} whose buffer starts small and grows, up to its
 * maximum, only when the replies waiting outgrow it. Most connections send short replies
 * one at a time; a full-size buffer for each of 10,000 held connections would be 80 MiB
 * of heap. Pipelined replies still leave in one write per flush once the buffer has grown
 * to hold them.
 */
final class ReplyBuffer extends OutputStream {

	private final OutputStream out;

	private final int maxSize;

	private byte[] buffer;

	private int count;

	ReplyBuffer(OutputStream out, int initialSize, int maxSize) {
		this.out = out;
		this.maxSize = maxSize;
		this.buffer = new byte[initialSize];
	}

	@Override
	public void write(int b) throws IOException {
		if (this.count == this.buffer.length) {
			makeRoom(1);
		}
		this.buffer[this.count++] = (byte) b;
	}

	@Override
	public void write(byte[] bytes, int offset, int length) throws IOException {
		if (length >= this.maxSize) {
			// Larger than any buffer: straight through, after what waits before it.
			writeBuffered();
			this.out.write(bytes, offset, length);
			return;
		}
		if (length > this.buffer.length - this.count) {
			makeRoom(length);
		}
		System.arraycopy(bytes, offset, this.buffer, this.count, length);
		this.count += length;
	}

	/**
	 * Grows the buffer if it can hold what waits plus {@code length} more; otherwise
	 * writes out what waits, growing the buffer if {@code length} alone needs it.
	 */
	private void makeRoom(int length) throws IOException {
		int needed = this.count + length;
		if (needed > this.maxSize) {
			writeBuffered();
			needed = length;
		}
		if (needed > this.buffer.length) {
			byte[] larger = new byte[Math.min(this.maxSize, Math.max(needed, 2 * this.buffer.length))];
			System.arraycopy(this.buffer, 0, larger, 0, this.count);
			this.buffer = larger;
		}
	}

	private void writeBuffered() throws IOException {
		if (this.count > 0) {
			this.out.write(this.buffer, 0, this.count);
			this.count = 0;
		}
	}

	@Override
	public void flush() throws IOException {
		writeBuffered();
		this.out.flush();
	}

	@Override
	public void close() throws IOException {
		try {
			flush();
		}
		finally {
			this.out.close();
		}
	}

}
