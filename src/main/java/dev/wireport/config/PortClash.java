package dev.wireport.config;

/**
 * Two of the service's own sockets configured on one port, found by
 * {@link NamedListenersValidator} and reported by {@link PortClashFailureAnalyzer}.
 *
 * @param protocol {@code TCP} or {@code UDP}
 * @param port the port
 * @param property the listener's port property
 * @param other the property of the listener, or HTTP server, that has the port too
 */
record PortClash(String protocol, int port, String property, String other) {

	/**
	 * The clash in words.
	 * @return e.g. {@code TCP listener 'framed' (wireport.tcp.listeners.framed.port) and
	 * the HTTP server (server.port) are both configured on port 8080}
	 */
	String description() {
		return what(this.property) + " and " + what(this.other) + " are both configured on " + this.protocol + " port "
				+ this.port;
	}

	private String what(String property) {
		return switch (property) {
			case "server.port" -> "the HTTP server (server.port)";
			case "management.server.port" -> "the management server (management.server.port)";
			default -> this.protocol + " listener '" + property.split("\\.")[3] + "' (" + property + ")";
		};
	}

}
