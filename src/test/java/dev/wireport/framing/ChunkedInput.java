package dev.wireport.framing;

import java.io.InputStream;

/**
 * Bytes from an array, handed out the way a socket would: a read returns at most
 * {@link #limit(int)} bytes, and nothing counts as already available. Subclasses see
 * every read, whatever method a codec uses.
 */
class ChunkedInput extends InputStream {

	private final byte[] bytes;

	private final int step;

	private int position;

	ChunkedInput(byte[] bytes) {
		this(bytes, Integer.MAX_VALUE);
	}

	ChunkedInput(byte[] bytes, int step) {
		this.bytes = bytes;
		this.step = step;
	}

	@Override
	public int read() {
		return (this.position < this.bytes.length) ? this.bytes[this.position++] & 0xff : -1;
	}

	@Override
	public int read(byte[] target, int offset, int length) {
		if (length == 0) {
			return 0;
		}
		if (this.position >= this.bytes.length) {
			return -1;
		}
		int count = Math.min(limit(length), this.bytes.length - this.position);
		System.arraycopy(this.bytes, this.position, target, offset, count);
		this.position += count;
		return count;
	}

	/**
	 * The most one read returns.
	 * @param length what the caller asked for
	 * @return how many bytes this read may return
	 */
	int limit(int length) {
		return Math.min(length, this.step);
	}

	int position() {
		return this.position;
	}

	/**
	 * Starts again from the first byte, so that one input serves many passes without a
	 * new stream (the benchmarks read it thousands of times a second).
	 */
	void rewind() {
		this.position = 0;
	}

	@Override
	public int available() {
		return 0;
	}

}
