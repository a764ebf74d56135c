package dev.wireport.fetch;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * A CIDR range of IPv4 or IPv6 addresses, such as {@code 10.0.0.0/8} or {@code fc00::/7};
 * a bare address is a range of one.
 */
final class AddressRange {

	private final byte[] network;

	private final int prefixLength;

	private final String text;

	private AddressRange(byte[] network, int prefixLength, String text) {
		this.network = network;
		this.prefixLength = prefixLength;
		this.text = text;
	}

	/**
	 * Parses a range written as an address literal with an optional prefix length.
	 * @param text e.g. {@code 192.168.0.0/16}
	 * @return the range
	 * @throws IllegalArgumentException if the text is not an address range
	 */
	static AddressRange parse(String text) {
		int slash = text.indexOf('/');
		String address = (slash < 0) ? text : text.substring(0, slash);
		if (!address.contains(":") && !address.matches("[0-9.]+")) {
			throw new IllegalArgumentException("'" + text + "' is not an address range");
		}
		byte[] bytes;
		try {
			bytes = InetAddress.getByName(address).getAddress();
		}
		catch (UnknownHostException ex) {
			throw new IllegalArgumentException("'" + text + "' is not an address range", ex);
		}
		int bits = bytes.length * 8;
		int prefix = (slash < 0) ? bits : Integer.parseInt(text.substring(slash + 1));
		if (prefix < 0 || prefix > bits) {
			throw new IllegalArgumentException("'" + text + "' has a prefix length outside 0 to " + bits);
		}
		return new AddressRange(bytes, prefix, text);
	}

	/**
	 * Whether a text looks like a range rather than a host name.
	 * @param text an allow or deny list entry
	 * @return whether it is an address or a CIDR range
	 */
	static boolean looksLikeRange(String text) {
		return text.contains("/") || text.contains(":") || text.matches("[0-9.]+");
	}

	boolean contains(InetAddress address) {
		return contains(address.getAddress());
	}

	boolean contains(byte[] address) {
		if (address.length != this.network.length) {
			return false;
		}
		int fullBytes = this.prefixLength / 8;
		for (int i = 0; i < fullBytes; i++) {
			if (address[i] != this.network[i]) {
				return false;
			}
		}
		int restBits = this.prefixLength % 8;
		if (restBits == 0) {
			return true;
		}
		int mask = (0xff << (8 - restBits)) & 0xff;
		return (address[fullBytes] & mask) == (this.network[fullBytes] & mask);
	}

	@Override
	public String toString() {
		return this.text;
	}

}
