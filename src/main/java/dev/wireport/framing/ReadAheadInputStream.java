package dev.wireport.framing;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * Buffers a socket's input so that codecs can read byte by byte without a system call per
 * byte. Unlike {@link java.io.BufferedInputStream} it takes no lock (one connection is
 * read by one thread), and {@link #available()} counts only the bytes that earlier reads
 * already delivered: that is what one read of the seed's server would have returned, so
 * the {@code chunk} framing sees the same message boundaries.
 * <p>
 * The buffer can start small and double, up to its maximum, each time a read fills it: a
 * connection that sends small messages keeps a small buffer (at 10,000 held connections
 * the difference is a hundred MiB), one that streams gets the large one after a few
 * reads.
 */
public class ReadAheadInputStream extends InputStream {

	private final InputStream source;

	private final int maxBufferSize;

	private byte[] buffer;

	private final BeforeWait beforeWait;

	private int position;

	private int limit;

	private long fills;

	private int framePosition;

	private long frameFills;

	private volatile boolean endWhenIdle;

	private volatile boolean refilling;

	public ReadAheadInputStream(InputStream source, int bufferSize) {
		this(source, bufferSize, bufferSize, null);
	}

	/**
	 * Creates a stream whose buffer grows from {@code initialBufferSize} to
	 * {@code maxBufferSize}, and that calls {@code beforeWait} each time it must read its
	 * source: the caller can flush replies held back while requests were still buffered.
	 * @param source the stream to read
	 * @param initialBufferSize the most the first read takes
	 * @param maxBufferSize the most any read takes
	 * @param beforeWait called before each read of the source, may be {@code null}
	 */
	public ReadAheadInputStream(InputStream source, int initialBufferSize, int maxBufferSize, BeforeWait beforeWait) {
		if (initialBufferSize < 1 || maxBufferSize < initialBufferSize) {
			throw new IllegalArgumentException(
					"buffer sizes must be 1 <= initial <= max, got " + initialBufferSize + " and " + maxBufferSize);
		}
		this.source = Objects.requireNonNull(source);
		this.buffer = new byte[initialBufferSize];
		this.maxBufferSize = maxBufferSize;
		this.beforeWait = beforeWait;
	}

	/**
	 * Marks the start of a frame: until bytes are read past this point, a wait is a wait
	 * between frames.
	 */
	public void startFrame() {
		this.framePosition = this.position;
		this.frameFills = this.fills;
	}

	/**
	 * Whether part of a frame has been read since {@link #startFrame()}.
	 * @return {@code true} in the middle of a frame
	 */
	public boolean inFrame() {
		return this.fills != this.frameFills || this.position != this.framePosition;
	}

	@Override
	public int read() throws IOException {
		if (this.position == this.limit && !fill()) {
			return -1;
		}
		return this.buffer[this.position++] & 0xff;
	}

	@Override
	public int read(byte[] target, int offset, int length) throws IOException {
		Objects.checkFromIndexSize(offset, length, target.length);
		if (length == 0) {
			return 0;
		}
		if (this.position == this.limit && !fill()) {
			return -1;
		}
		int count = Math.min(length, this.limit - this.position);
		System.arraycopy(this.buffer, this.position, target, offset, count);
		this.position += count;
		return count;
	}

	/**
	 * Reads up to {@code length} bytes, stopping after the first {@code delimiter}: the
	 * delimited codecs take a frame's bytes in one copy instead of one call per byte.
	 * Like {@link #read(byte[], int, int)} it waits only when nothing is buffered.
	 * @param delimiter the byte to stop after
	 * @param target where the bytes go
	 * @param offset the first index to fill
	 * @param length the most bytes to read
	 * @return the number of bytes read, the last one being {@code delimiter} if it was
	 * found; -1 at the end of the stream
	 * @throws IOException if reading the source fails
	 */
	public int readThrough(byte delimiter, byte[] target, int offset, int length) throws IOException {
		Objects.checkFromIndexSize(offset, length, target.length);
		if (length == 0) {
			return 0;
		}
		if (this.position == this.limit && !fill()) {
			return -1;
		}
		int end = Math.min(this.limit, this.position + length);
		int scan = this.position;
		while (scan < end && this.buffer[scan] != delimiter) {
			scan++;
		}
		int count = ((scan < end) ? scan + 1 : end) - this.position;
		System.arraycopy(this.buffer, this.position, target, offset, count);
		this.position += count;
		return count;
	}

	/**
	 * Refills the empty buffer with one read of the source; if the last one filled it,
	 * into a larger buffer.
	 * @return {@code false} at the end of the stream
	 * @throws IOException if the read fails
	 */
	private boolean fill() throws IOException {
		if (this.limit == this.buffer.length && this.buffer.length < this.maxBufferSize) {
			this.buffer = new byte[Math.min(this.maxBufferSize, 2 * this.buffer.length)];
		}
		if (this.beforeWait != null) {
			this.beforeWait.beforeWait(inFrame());
		}
		this.refilling = true;
		try {
			if (this.endWhenIdle && this.source.available() == 0) {
				return false;
			}
			int count = this.source.read(this.buffer, 0, this.buffer.length);
			if (count <= 0) {
				return false;
			}
			this.position = 0;
			this.limit = count;
			this.fills++;
			return true;
		}
		finally {
			this.refilling = false;
		}
	}

	/**
	 * From now on the stream ends where the next read would wait for the peer: what the
	 * peer already sent is still read, nothing more is waited for. Used to drain a
	 * connection at shutdown.
	 * @return {@code true} if a read is waiting for the peer right now with nothing to
	 * read; the caller must then wake it, for example by shutting down the socket's input
	 * @throws IOException if the source cannot tell what it holds
	 */
	public boolean endWhenIdle() throws IOException {
		this.endWhenIdle = true;
		// A waiting read with bytes already queued wakes by itself and reads them.
		return this.refilling && this.source.available() == 0;
	}

	/**
	 * Whether a read of the source is under way, which may be waiting for the peer.
	 * @return {@code true} while the source is being read
	 */
	public boolean waiting() {
		return this.refilling;
	}

	/**
	 * Runs before each read of the source, which may wait for the peer.
	 */
	@FunctionalInterface
	public interface BeforeWait {

		/**
		 * Prepares a read that may wait.
		 * @param inFrame whether part of a frame has already been read
		 * @throws IOException to fail the read instead
		 */
		void beforeWait(boolean inFrame) throws IOException;

	}

	@Override
	public int available() {
		return this.limit - this.position;
	}

	@Override
	public void close() throws IOException {
		this.source.close();
	}

}
