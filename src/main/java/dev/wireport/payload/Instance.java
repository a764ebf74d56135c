package dev.wireport.payload;

import java.net.InetAddress;
import java.net.UnknownHostException;

import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * Which instance of the service this is, for the clients that want to know which one
 * answered them behind a load balancer: reply {@code identify} and {@code /go}'s JSON
 * answer. On Kubernetes the chart sets {@code POD_NAME}, {@code POD_NAMESPACE} and
 * {@code NODE_NAME} through the Downward API.
 *
 * @param name {@code POD_NAME} when set, else the host name
 * @param namespace {@code POD_NAMESPACE}, or {@code null} when unset
 * @param node {@code NODE_NAME}, or {@code null} when unset
 */
public record Instance(String name, String namespace, String node) {

	/**
	 * This instance, from the environment (or any other property source, which tests
	 * use).
	 * @param environment the environment
	 * @return the instance
	 */
	public static Instance of(Environment environment) {
		String pod = environment.getProperty("POD_NAME");
		return new Instance(StringUtils.hasText(pod) ? pod : hostName(), text(environment.getProperty("POD_NAMESPACE")),
				text(environment.getProperty("NODE_NAME")));
	}

	private static String hostName() {
		try {
			return InetAddress.getLocalHost().getHostName();
		}
		catch (UnknownHostException ex) {
			// A host whose own name does not resolve: the name is in the message.
			String message = String.valueOf(ex.getMessage());
			return (message.indexOf(':') > 0) ? message.substring(0, message.indexOf(':')) : "unknown";
		}
	}

	private static String text(String value) {
		return StringUtils.hasText(value) ? value : null;
	}

}
