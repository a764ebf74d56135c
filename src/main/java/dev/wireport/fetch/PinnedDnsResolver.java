package dev.wireport.fetch;

import java.net.InetAddress;
import java.net.UnknownHostException;

import org.apache.hc.client5.http.DnsResolver;

/**
 * Resolves the one host of a checked destination to the address the policy checked, and
 * nothing else: the HTTP client never asks DNS again, so the address it connects to is
 * the address that was allowed. The Host header and TLS (server name and certificate
 * check) still use the host name from the URL.
 */
final class PinnedDnsResolver implements DnsResolver {

	private final String host;

	private final InetAddress address;

	PinnedDnsResolver(String host, InetAddress address) {
		this.host = HostAddress.normalize(host);
		this.address = address;
	}

	@Override
	public InetAddress[] resolve(String requested) throws UnknownHostException {
		if (!HostAddress.normalize(requested).equals(this.host)) {
			throw new UnknownHostException(requested + " was not checked by the destination policy");
		}
		return new InetAddress[] { this.address };
	}

	@Override
	public String resolveCanonicalHostname(String requested) throws UnknownHostException {
		return resolve(requested)[0].getHostAddress();
	}

}
