package dev.wireport.tcp;

/**
 * Whether a TCP listener reads a PROXY protocol header (HAProxy's v1 text line or v2
 * binary header) before the first frame: a load balancer that forwards TCP sends it so
 * that the service learns the client's address instead of its own.
 */
public enum ProxyProtocol {

	/** No header is read: the bytes are frames from the first one. */
	OFF,

	/**
	 * A header is read when the first bytes are one, and the connection is served as
	 * without a header when they cannot be one: one port takes clients behind the load
	 * balancer and clients that connect directly.
	 */
	OPTIONAL,

	/** Every connection must start with a header; one without is refused and closed. */
	REQUIRED

}
