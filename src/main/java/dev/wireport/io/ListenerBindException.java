package dev.wireport.io;

import java.util.Locale;

/**
 * A TCP or UDP listener could not bind its socket: start-up fails, and a failure analyzer
 * tells the user which listener, which port, and what to do.
 */
public class ListenerBindException extends IllegalStateException {

	private final String protocol;

	private final String listener;

	private final String host;

	private final int port;

	/**
	 * Creates the exception of one listener.
	 * @param protocol {@code TCP} or {@code UDP}
	 * @param listener the listener's name
	 * @param host the address it was to bind
	 * @param port the port it was to bind
	 * @param cause why the socket could not bind
	 */
	public ListenerBindException(String protocol, String listener, String host, int port, Throwable cause) {
		super(protocol + " listener '" + listener + "' could not listen on " + host + ":" + port + ": "
				+ cause.getMessage(), cause);
		this.protocol = protocol;
		this.listener = listener;
		this.host = host;
		this.port = port;
	}

	public String getProtocol() {
		return this.protocol;
	}

	public String getListener() {
		return this.listener;
	}

	public String getHost() {
		return this.host;
	}

	public int getPort() {
		return this.port;
	}

	/**
	 * The property that sets the listener's port.
	 * @return e.g. {@code wireport.tcp.listeners.framed.port}
	 */
	public String getPortProperty() {
		return "wireport." + this.protocol.toLowerCase(Locale.ROOT) + ".listeners." + this.listener + ".port";
	}

}
