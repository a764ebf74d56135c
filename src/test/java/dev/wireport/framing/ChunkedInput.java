package dev.wireport.framing;

import java.io.InputStream;
import java.util.function.IntSupplier;

/**
 * Bytes from an array, handed out the way a socket would: a read returns at most
 * {@link #limit(int)} bytes, and nothing counts as already available. Subclasses see
 * every read, whatever method a codec uses.
 */
class ChunkedInput extends InputStream {

	private final byte[] bytes;

	private final IntSupplier readSizes;

	private int position;

	ChunkedInput(byte[] bytes) {
		this(bytes, Integer.MAX_VALUE);
	}

	ChunkedInput(byte[] bytes, int step) {
		this(bytes, () -> step);
	}

	/**
	 * Creates an input whose reads return at most the sizes {@code readSizes} gives, one
	 * for each read that returns bytes: a test can replay the same reads elsewhere.
	 * @param bytes the bytes to hand out
	 * @param readSizes the most each read returns
	 */
	ChunkedInput(byte[] bytes, IntSupplier readSizes) {
		this.bytes = bytes;
		this.readSizes = readSizes;
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
		return Math.min(length, this.readSizes.getAsInt());
	}

	@Override
	public int available() {
		return 0;
	}

}
