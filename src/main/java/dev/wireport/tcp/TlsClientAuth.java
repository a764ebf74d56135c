package dev.wireport.tcp;

import io.netty.handler.ssl.ClientAuth;

/**
 * Whether a TLS listener asks its clients for a certificate.
 */
public enum TlsClientAuth {

	/** No client certificate is asked for. */
	NONE(ClientAuth.NONE),

	/** A certificate is asked for; a client without one is served all the same. */
	WANT(ClientAuth.OPTIONAL),

	/** A client without a certificate the bundle's trust material trusts is refused. */
	NEED(ClientAuth.REQUIRE);

	private final ClientAuth netty;

	TlsClientAuth(ClientAuth netty) {
		this.netty = netty;
	}

	ClientAuth netty() {
		return this.netty;
	}

}
