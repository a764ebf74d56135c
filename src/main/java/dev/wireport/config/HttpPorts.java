package dev.wireport.config;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.context.properties.bind.Binder;

/**
 * The ports the HTTP servers are configured to listen on, which no listener may take;
 * start-up checks, failure reports and {@code --help} name them.
 */
public final class HttpPorts {

	/** Spring Boot's own default for {@code server.port}, which it leaves unset. */
	public static final int DEFAULT_SERVER_PORT = 8080;

	private HttpPorts() {
	}

	/**
	 * The HTTP ports as configured.
	 * @param binder the configuration
	 * @return the property that sets each port ({@code server.port} and, when it is a
	 * server of its own, {@code management.server.port}), by port; port 0 (a free port)
	 * left out
	 */
	public static Map<Integer, String> of(Binder binder) {
		Map<Integer, String> ports = new LinkedHashMap<>();
		int server = binder.bind("server.port", Integer.class).orElse(DEFAULT_SERVER_PORT);
		if (server > 0) {
			ports.put(server, "server.port");
		}
		// Equal to server.port (or unset), the endpoints share the main server.
		int management = binder.bind("management.server.port", Integer.class).orElse(-1);
		if (management > 0) {
			ports.putIfAbsent(management, "management.server.port");
		}
		return ports;
	}

}
