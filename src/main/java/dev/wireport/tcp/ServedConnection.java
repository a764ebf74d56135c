package dev.wireport.tcp;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * What a listener's {@link ListenerConnections} and its {@link ConnectionWatchdog} need
 * of a connection, whichever way it is served: a thread of its own
 * ({@link ListenerConnection}) or an event loop ({@link LoopConnection}).
 */
interface ServedConnection {

	/**
	 * A read buffer's first size: a few small messages; a read that fills it doubles it.
	 */
	int INITIAL_READ_BUFFER = 1024;

	/**
	 * The most one read takes; only a frame larger than this grows the buffer further.
	 */
	int MAX_READ_BUFFER = 8192;

	/**
	 * A reply buffer's first size: a few acknowledgements; it grows while replies wait.
	 */
	int INITIAL_WRITE_BUFFER = 512;

	/** The most a reply buffer keeps. */
	int MAX_WRITE_BUFFER = 8192;

	/**
	 * After an error reply, how long and how much of the peer's unread input is
	 * discarded: closing a socket with unread input makes the kernel send a reset, which
	 * can destroy the error reply before the peer reads it.
	 */
	Duration DISCARD_TIME = Duration.ofMillis(250);

	int DISCARD_BYTES = 256 * 1024;

	/**
	 * The payload of the error reply that refuses a peer, in the listener's framing.
	 * @param reason what went wrong
	 * @return the reply's payload
	 */
	static byte[] errorReply(String reason) {
		return ("ERROR " + reason).getBytes(StandardCharsets.UTF_8);
	}

	String getConnectionId();

	String getHostAddress();

	int getPort();

	boolean isOpen();

	/**
	 * Which timeout, if any, this connection is past.
	 * @param now the current {@link System#nanoTime()}
	 * @return the timeout, or {@code null}
	 */
	Timeout pastTimeout(long now);

	/**
	 * Ends the wait for the peer as if the peer had half-closed, with an error reply if a
	 * frame was unfinished.
	 */
	void expire();

	/**
	 * Stops reading once what the peer already sent is consumed, so that the connection
	 * ends after answering it.
	 */
	void endWhenIdle();

	/**
	 * Closes the socket at once, whatever is under way.
	 */
	void close();

	/** The timeouts the {@link ConnectionWatchdog} enforces. */
	enum Timeout {

		IDLE, FRAME, WRITE

	}

}
