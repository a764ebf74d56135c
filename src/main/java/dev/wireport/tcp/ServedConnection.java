package dev.wireport.tcp;

/**
 * What a listener's {@link ListenerConnections} and its {@link ConnectionWatchdog} need
 * of a connection, whichever way it is served: a thread of its own
 * ({@link ListenerConnection}) or an event loop ({@link LoopConnection}).
 */
interface ServedConnection {

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
