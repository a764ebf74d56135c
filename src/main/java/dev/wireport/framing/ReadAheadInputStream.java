package dev.wireport.framing;

import java.io.Flushable;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * Buffers a socket's input so that codecs can read byte by byte without a system call per
 * byte. Unlike {@link java.io.BufferedInputStream} it takes no lock (one connection is
 * read by one thread), and {@link #available()} counts only the bytes that earlier reads
 * already delivered: that is what one read of the seed's server would have returned, so
 * the {@code chunk} framing sees the same message boundaries.
 */
public class ReadAheadInputStream extends InputStream {

	private final InputStream source;

	private final byte[] buffer;

	private final Flushable beforeWaiting;

	private int position;

	private int limit;

	private volatile boolean endWhenIdle;

	private volatile boolean refilling;

	public ReadAheadInputStream(InputStream source, int bufferSize) {
		this(source, bufferSize, null);
	}

	/**
	 * Creates a stream that flushes {@code beforeWaiting} each time it must read its
	 * source: replies held back while requests were still buffered go out before the
	 * thread waits for the peer.
	 * @param source the stream to read
	 * @param bufferSize the most one read takes
	 * @param beforeWaiting flushed before each read of the source, may be {@code null}
	 */
	public ReadAheadInputStream(InputStream source, int bufferSize, Flushable beforeWaiting) {
		this.source = Objects.requireNonNull(source);
		this.buffer = new byte[bufferSize];
		this.beforeWaiting = beforeWaiting;
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
	 * Refills the empty buffer with one read of the source.
	 * @return {@code false} at the end of the stream
	 * @throws IOException if the read fails
	 */
	private boolean fill() throws IOException {
		if (this.beforeWaiting != null) {
			this.beforeWaiting.flush();
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

	@Override
	public int available() {
		return this.limit - this.position;
	}

	@Override
	public void close() throws IOException {
		this.source.close();
	}

}
