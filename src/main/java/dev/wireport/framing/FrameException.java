package dev.wireport.framing;

import io.netty.handler.codec.DecoderException;

/**
 * The bytes on the wire broke the framing's rules: the frame is refused and the
 * connection cannot be read any further, because the next frame boundary is unknown. A
 * {@link DecoderException}, so that Netty passes it from a framing's decoder to the
 * connection's handler as it is.
 */
public class FrameException extends DecoderException {

	private final Reason reason;

	public FrameException(Reason reason, String message) {
		super(message);
		this.reason = reason;
	}

	public Reason reason() {
		return this.reason;
	}

	/**
	 * Why a frame was refused; also the {@code reason} tag of the rejected-frames metric.
	 */
	public enum Reason {

		/** The frame would exceed the listener's maximum frame size. */
		TOO_LARGE("too-large"),

		/**
		 * The bytes do not form a frame: a bad header or a frame cut short by the peer.
		 */
		MALFORMED("malformed"),

		/** The frame was not completed in time. */
		TIMEOUT("timeout"),

		/**
		 * Not a frame's fault but the connection's: on a listener that reads the PROXY
		 * protocol, the header was missing where it is required, malformed, or not
		 * completed.
		 */
		PROXY_PROTOCOL("proxy-protocol");

		private final String tag;

		Reason(String tag) {
			this.tag = tag;
		}

		public String tag() {
			return this.tag;
		}

	}

}
