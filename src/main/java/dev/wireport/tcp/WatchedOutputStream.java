package dev.wireport.tcp;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * A socket's output that tells how long its current write has been blocked. A blocking
 * socket write has no timeout of its own: when the peer stops reading, or vanishes
 * without a FIN or a reset, the write waits until the kernel gives up on retransmitting,
 * which takes many minutes, or forever for a peer that keeps acknowledging with a zero
 * window. {@link ConnectionWatchdog} reads {@link #blockedSince()} and closes the socket,
 * which ends the write with an error.
 */
final class WatchedOutputStream extends FilterOutputStream {

	/** {@link System#nanoTime()} when the write under way started, 0 when none is. */
	private volatile long blockedSince;

	WatchedOutputStream(OutputStream socketOutput) {
		super(socketOutput);
	}

	@Override
	public void write(byte[] bytes, int offset, int length) throws IOException {
		this.blockedSince = System.nanoTime();
		try {
			this.out.write(bytes, offset, length);
		}
		finally {
			this.blockedSince = 0;
		}
	}

	@Override
	public void write(int b) throws IOException {
		write(new byte[] { (byte) b }, 0, 1);
	}

	/**
	 * When the write under way started.
	 * @return a {@link System#nanoTime()} value, or 0 when no write is under way
	 */
	long blockedSince() {
		return this.blockedSince;
	}

}
