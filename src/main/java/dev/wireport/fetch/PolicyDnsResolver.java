package dev.wireport.fetch;

import java.net.InetAddress;
import java.net.UnknownHostException;

import org.apache.hc.client5.http.DnsResolver;

/**
 * The fetcher's HTTP client resolves every host through the {@link DestinationPolicy}: it
 * gets only addresses checked in the same resolution, so the address it connects to is
 * always one that was allowed, whatever the name resolves to a moment later, on every
 * redirect hop and for every pooled connection. The Host header and TLS (server name and
 * certificate check) still use the host name from the URL.
 */
final class PolicyDnsResolver implements DnsResolver {

	private final DestinationPolicy policy;

	PolicyDnsResolver(DestinationPolicy policy) {
		this.policy = policy;
	}

	@Override
	public InetAddress[] resolve(String host) throws UnknownHostException {
		try {
			return this.policy.addresses(host);
		}
		catch (FetchException ex) {
			throw new Refused(host, ex);
		}
	}

	@Override
	public String resolveCanonicalHostname(String host) throws UnknownHostException {
		return resolve(host)[0].getHostAddress();
	}

	/**
	 * The policy refused the host, or it did not resolve: the HTTP client only knows
	 * resolution failures, and the fetcher answers with the policy's own error.
	 */
	static final class Refused extends UnknownHostException {

		private final FetchException reason;

		Refused(String host, FetchException reason) {
			super(host + ": " + reason.getMessage());
			this.reason = reason;
		}

		FetchException reason() {
			return this.reason;
		}

	}

}
