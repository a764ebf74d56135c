package dev.wireport.payload;

/**
 * What a listener answers to each message it receives.
 */
public enum ReplyMode {

	/** The listener's configured acknowledgement text. */
	ACK,

	/** The message's own bytes, unchanged. */
	ECHO;

	/**
	 * The reply to send for {@code payload}.
	 * @param payload the message received
	 * @param ack the listener's acknowledgement bytes (shared, never modified)
	 * @return the reply bytes
	 */
	public byte[] reply(byte[] payload, byte[] ack) {
		return (this == ECHO) ? payload : ack;
	}

}
