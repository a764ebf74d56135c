package dev.wireport.fetch;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.springframework.stereotype.Component;

/**
 * Decides whether a URL may be fetched, and to which addresses. A host is resolved, and
 * every address it resolves to checked, in one step ({@link #addresses(String)}); the
 * fetcher's HTTP client resolves names only through it (see {@link PolicyDnsResolver}),
 * so it connects only to addresses checked in the same resolution: a name that resolves
 * differently a moment later (DNS rebinding) cannot slip a refused address in.
 */
@Component
class DestinationPolicy {

	private static final Set<AddressKind> PRIVATE_KINDS = Set.of(AddressKind.LOOPBACK, AddressKind.PRIVATE,
			AddressKind.CARRIER_GRADE_NAT);

	private final FetchProperties properties;

	private final List<Entry> allow;

	private final List<Entry> deny;

	DestinationPolicy(FetchProperties properties) {
		this.properties = properties;
		this.allow = properties.allow().stream().map(Entry::parse).toList();
		this.deny = properties.deny().stream().map(Entry::parse).toList();
	}

	/**
	 * Checks a URL before it is fetched, so that a refused one is answered before any
	 * connection is tried.
	 * @param url the URL
	 * @return the URL to fetch, and the address its host resolves to
	 * @throws FetchException 400 if the URL is malformed, 403 if it is refused, 502 if
	 * its host cannot be resolved
	 */
	Destination check(URI url) throws FetchException {
		String scheme = (url.getScheme() != null) ? url.getScheme().toLowerCase(Locale.ROOT) : "";
		if (!scheme.equals("http") && !scheme.equals("https")) {
			throw FetchException.refused("only http and https URLs are fetched, not '" + url.getScheme() + "'");
		}
		if (url.getRawUserInfo() != null) {
			throw FetchException.refused("URLs with user information are not fetched");
		}
		if (url.getPort() == 0 || url.getPort() > 65535) {
			throw new InvalidUrlException("port " + url.getPort() + " is outside 1 to 65535");
		}
		String rawHost = HostAddress.hostOf(url);
		String host = HostAddress.normalize(rawHost);
		InetAddress literal = HostAddress.literal(host);
		if (literal instanceof Inet4Address && !host.equals(literal.getHostAddress())) {
			// Written the way browsers rewrite it (0x7f.1 is 127.0.0.1), so the request's
			// Host header and URL carry the address that was checked.
			return check(HostAddress.withHost(url, literal.getHostAddress()));
		}
		return new Destination(url, addresses(host)[0]);
	}

	/**
	 * Resolves a host and checks every address it resolves to.
	 * @param host the host, as written in a URL or as the HTTP client names it
	 * @return the addresses, every one allowed
	 * @throws FetchException 400 if the host is a malformed address, 403 if an address is
	 * refused, 502 if the host cannot be resolved
	 */
	InetAddress[] addresses(String host) throws FetchException {
		String normalized = HostAddress.normalize(host);
		InetAddress literal = HostAddress.literal(normalized);
		InetAddress[] addresses = (literal != null) ? new InetAddress[] { literal } : resolve(normalized);
		for (InetAddress address : addresses) {
			check(normalized, address);
		}
		return addresses;
	}

	private static InetAddress[] resolve(String host) throws FetchException {
		try {
			return InetAddress.getAllByName(host);
		}
		catch (UnknownHostException ex) {
			throw FetchException.upstream("cannot resolve host '" + host + "'", ex);
		}
	}

	private void check(String host, InetAddress address) throws FetchException {
		String where = "'" + host + "' (" + address.getHostAddress() + ")";
		if (this.deny.stream().anyMatch((entry) -> entry.matches(host, address))) {
			throw FetchException.refused(where + " is on the deny list");
		}
		boolean allowed = this.allow.stream().anyMatch((entry) -> entry.matches(host, address));
		if (!this.allow.isEmpty() && !allowed) {
			throw FetchException.refused(where + " is not on the allow list");
		}
		// Only an address range vouches for a non-public address: an allowed host
		// name could be made to resolve into the network.
		boolean rangeAllowed = this.allow.stream()
			.anyMatch((entry) -> entry.range() != null && entry.matches(host, address));
		AddressKind kind = AddressKind.of(address);
		if (rangeAllowed || kind == AddressKind.PUBLIC
				|| (this.properties.allowPrivateAddresses() && PRIVATE_KINDS.contains(kind))) {
			return;
		}
		throw FetchException.refused(where + " is " + kind.description() + "; only public addresses are fetched");
	}

	/**
	 * A URL cleared for fetching.
	 *
	 * @param url the URL, its host an IPv4 address in the usual spelling if it was one in
	 * another
	 * @param address the checked address its host resolved to first
	 */
	record Destination(URI url, InetAddress address) {
	}

	/** An allow or deny list entry: an address range, a host, or a {@code .suffix}. */
	private record Entry(AddressRange range, String host) {

		static Entry parse(String text) {
			return AddressRange.looksLikeRange(text) ? new Entry(AddressRange.parse(text), null)
					: new Entry(null, HostAddress.normalize(text));
		}

		boolean matches(String candidateHost, InetAddress address) {
			if (this.range != null) {
				return this.range.contains(address);
			}
			return this.host.startsWith(".") ? candidateHost.endsWith(this.host) : candidateHost.equals(this.host);
		}

	}

}
