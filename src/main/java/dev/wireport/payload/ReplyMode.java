package dev.wireport.payload;

/**
 * What a listener answers to each message it receives.
 */
public enum ReplyMode {

	/** The listener's configured acknowledgement text. */
	ACK,

	/** The message's own bytes, unchanged. */
	ECHO,

	/**
	 * The acknowledgement, then which instance and listener answered and the client's
	 * address as the instance saw it ({@link Identification}).
	 */
	IDENTIFY

}
