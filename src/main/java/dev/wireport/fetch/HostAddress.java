package dev.wireport.fetch;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads a URL's host the way browsers and curl do (the WHATWG URL standard): a host that
 * ends in a number is an IPv4 address in any of its spellings, decimal, hexadecimal
 * ({@code 0x7f.1}), octal ({@code 0177.0.0.1}) or shortened ({@code 127.1},
 * {@code 2130706433}). The JDK's resolver knows only some of these, so the policy would
 * otherwise look up a name that another client treats as an address.
 */
final class HostAddress {

	private HostAddress() {
	}

	/**
	 * The host of a URL, also where {@link URI#getHost()} gives none because the host is
	 * not a valid name (such as {@code 0x7f.1}).
	 * @param url an absolute URL
	 * @return the host as written, IPv6 literals in brackets
	 * @throws InvalidUrlException if the URL has no host
	 */
	static String hostOf(URI url) throws InvalidUrlException {
		if (url.getHost() != null) {
			return url.getHost();
		}
		String authority = url.getRawAuthority();
		if (authority == null || authority.isEmpty()) {
			throw new InvalidUrlException("the URL has no host");
		}
		String host = authority.substring(authority.lastIndexOf('@') + 1);
		int colon = host.lastIndexOf(':');
		if (colon >= 0 && !host.endsWith("]")) {
			host = host.substring(0, colon);
		}
		if (host.isEmpty()) {
			throw new InvalidUrlException("the URL has no host");
		}
		return host;
	}

	/**
	 * The same URL with another host.
	 * @param url the URL
	 * @param host the new host
	 * @return the URL with the host replaced, port, path and query kept
	 * @throws InvalidUrlException if the result is not a valid URL
	 */
	static URI withHost(URI url, String host) throws InvalidUrlException {
		String authority = url.getRawAuthority();
		String hostAndPort = authority.substring(authority.lastIndexOf('@') + 1);
		int colon = hostAndPort.lastIndexOf(':');
		String port = (colon >= 0 && !hostAndPort.endsWith("]")) ? hostAndPort.substring(colon) : "";
		String rewritten = url.getScheme() + "://" + host + port + ((url.getRawPath() != null) ? url.getRawPath() : "")
				+ ((url.getRawQuery() != null) ? "?" + url.getRawQuery() : "");
		try {
			return new URI(rewritten);
		}
		catch (URISyntaxException ex) {
			throw new InvalidUrlException("'" + url + "' is not a valid URL: " + ex.getReason());
		}
	}

	/**
	 * Normalizes a URL host: brackets around an IPv6 literal and one trailing dot are
	 * removed, letters are lower-cased.
	 * @param host the host as written in the URL
	 * @return the host to check and resolve
	 */
	static String normalize(String host) {
		String normalized = host.toLowerCase(Locale.ROOT);
		if (normalized.startsWith("[") && normalized.endsWith("]")) {
			return normalized.substring(1, normalized.length() - 1);
		}
		return normalized.endsWith(".") ? normalized.substring(0, normalized.length() - 1) : normalized;
	}

	/**
	 * The address a host literal stands for, if it is one.
	 * @param host a normalized host
	 * @return the address, or {@code null} if the host is a name to resolve
	 * @throws InvalidUrlException if the host ends in a number but is no valid IPv4
	 * address
	 */
	static InetAddress literal(String host) throws InvalidUrlException {
		try {
			if (host.contains(":")) {
				return InetAddress.getByName(host);
			}
			byte[] ipv4 = ipv4(host);
			return (ipv4 != null) ? InetAddress.getByAddress(host, ipv4) : null;
		}
		catch (UnknownHostException ex) {
			throw new InvalidUrlException("'" + host + "' is not a valid IP address");
		}
	}

	private static byte[] ipv4(String host) throws InvalidUrlException {
		List<String> parts = new ArrayList<>(List.of(host.split("\\.", -1)));
		if (!endsInNumber(parts)) {
			return null;
		}
		if (parts.size() > 4) {
			throw new InvalidUrlException("'" + host + "' has more than four IPv4 parts");
		}
		List<BigInteger> numbers = new ArrayList<>();
		for (String part : parts) {
			BigInteger number = number(part);
			if (number == null) {
				throw new InvalidUrlException("'" + host + "' is not a valid IPv4 address");
			}
			numbers.add(number);
		}
		BigInteger value = BigInteger.ZERO;
		for (int i = 0; i < numbers.size() - 1; i++) {
			if (numbers.get(i).compareTo(BigInteger.valueOf(255)) > 0) {
				throw new InvalidUrlException("'" + host + "' has an IPv4 part over 255");
			}
			value = value.or(numbers.get(i).shiftLeft(8 * (3 - i)));
		}
		BigInteger last = numbers.get(numbers.size() - 1);
		if (last.compareTo(BigInteger.ONE.shiftLeft(8 * (5 - numbers.size()))) >= 0) {
			throw new InvalidUrlException("'" + host + "' is not a valid IPv4 address");
		}
		long address = value.or(last).longValue();
		return new byte[] { (byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address };
	}

	private static boolean endsInNumber(List<String> parts) {
		if (parts.get(parts.size() - 1).isEmpty()) {
			if (parts.size() == 1) {
				return false;
			}
			parts.remove(parts.size() - 1);
		}
		String last = parts.get(parts.size() - 1);
		return !last.isEmpty() && (last.chars().allMatch(Character::isDigit) || number(last) != null);
	}

	private static BigInteger number(String part) {
		if (part.isEmpty()) {
			return null;
		}
		int radix = 10;
		String digits = part;
		if (part.startsWith("0x") || part.startsWith("0X")) {
			radix = 16;
			digits = part.substring(2);
			if (digits.isEmpty()) {
				return BigInteger.ZERO;
			}
		}
		else if (part.length() > 1 && part.startsWith("0")) {
			radix = 8;
			digits = part.substring(1);
		}
		if (digits.startsWith("+") || digits.startsWith("-")) {
			return null;
		}
		try {
			return new BigInteger(digits, radix);
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

}
