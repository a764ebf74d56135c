package dev.wireport.payload;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The reply of {@code identify}: the listener's acknowledgement, then which instance and
 * listener answered and the client's address as the instance saw it, on one line:
 * {@code server接收消息成功 instance=wireport-5d8f9c-x2x7q listener=framed client=10.1.2.3:53412}.
 * The part before the address is made once per listener.
 */
public final class Identification {

	/** The longest address a client can have: IPv6 with an IPv4 tail, and a port. */
	private static final String LONGEST_CLIENT = "[ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255]:65535";

	private final byte[] prefix;

	/**
	 * Makes the replies of one listener.
	 * @param ack the listener's acknowledgement
	 * @param instance this instance
	 * @param listener the listener's name
	 */
	public Identification(byte[] ack, Instance instance, String listener) {
		byte[] names = (" instance=" + instance.name() + " listener=" + listener + " client=")
			.getBytes(StandardCharsets.UTF_8);
		this.prefix = Arrays.copyOf(ack, ack.length + names.length);
		System.arraycopy(names, 0, this.prefix, ack.length, names.length);
	}

	/**
	 * The reply to one client.
	 * @param host the client's address, as text
	 * @param port the client's port
	 * @return the reply
	 */
	public byte[] reply(String host, int port) {
		return withClient(address(host, port));
	}

	/**
	 * The longest reply this listener can send, to check that its framing can carry every
	 * one.
	 * @return the reply to a client with the longest address
	 */
	public byte[] longest() {
		return withClient(LONGEST_CLIENT);
	}

	private byte[] withClient(String address) {
		byte[] client = address.getBytes(StandardCharsets.UTF_8);
		byte[] reply = Arrays.copyOf(this.prefix, this.prefix.length + client.length);
		System.arraycopy(client, 0, reply, this.prefix.length, client.length);
		return reply;
	}

	/**
	 * A client's address as {@code /go} and the replies write it.
	 * @param host the address, as text
	 * @param port the port
	 * @return {@code 10.1.2.3:53412} or {@code [2001:db8::1]:53412}
	 */
	public static String address(String host, int port) {
		return (host.indexOf(':') >= 0) ? "[" + host + "]:" + port : host + ":" + port;
	}

}
