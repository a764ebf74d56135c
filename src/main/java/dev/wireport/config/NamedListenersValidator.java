package dev.wireport.config;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import dev.wireport.payload.Instance;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * The checks on {@link NamedListeners} that no constraint on one field can make.
 * <ul>
 * <li>Spring Boot matches property names loosely, ignoring case, {@code -} and {@code _},
 * so two spellings of one name ({@code framed} in a file, {@code Framed} in an argument)
 * would bind the same values into two listeners; they are refused.</li>
 * <li>A listener's acknowledgement must be something it can send.</li>
 * <li>No two listeners share a port: among the TCP listeners together with the HTTP ports
 * ({@code server.port} and, when it is a server of its own,
 * {@code management.server.port}), and among the UDP listeners. A TCP and a UDP listener
 * may share a number, which the operating system allows, and port 0 never clashes: each
 * such listener gets a free port of its own.</li>
 * </ul>
 */
final class NamedListenersValidator implements Validator {

	private final ApplicationContext context;

	NamedListenersValidator(ApplicationContext context) {
		this.context = context;
	}

	@Override
	public boolean supports(Class<?> type) {
		return NamedListeners.class.isAssignableFrom(type);
	}

	@Override
	public void validate(Object target, Errors errors) {
		NamedListeners<?> listeners = (NamedListeners<?>) target;
		String prefix = "wireport." + listeners.protocol().toLowerCase(Locale.ROOT) + ".listeners.";
		Map<String, String> spellings = new HashMap<>();
		for (String name : listeners.listeners().keySet()) {
			String other = spellings.putIfAbsent(name.replaceAll("[-_]", "").toLowerCase(Locale.ROOT), name);
			if (other != null) {
				errors.rejectValue("listeners", "name", prefix + name + " and " + prefix + other
						+ " are one listener to Spring Boot, which ignores case, '-' and '_' in names: spell its name one way");
				return;
			}
		}
		Map<Integer, String> taken = ("TCP".equals(listeners.protocol())) ? httpPorts() : new HashMap<>();
		Instance instance = Instance.of(this.context.getEnvironment());
		listeners.listeners().forEach((name, listener) -> {
			if (!listener.enabled()) {
				return;
			}
			String ackProblem = listener.ackProblem(name, instance);
			if (ackProblem != null) {
				errors.rejectValue(field(name, "ack"), "ack", ackProblem);
			}
			Integer port = listener.port();
			String other = (port != null && port != 0) ? taken.putIfAbsent(port, prefix + name + ".port") : null;
			if (other != null) {
				PortClash clash = new PortClash(listeners.protocol(), port, prefix + name + ".port", other);
				errors.rejectValue(field(name, "port"), "port", new Object[] { clash },
						listeners.protocol() + " port " + port + " is taken by " + other);
			}
		});
	}

	/**
	 * The field of the errors that names one listener's property, spelled the way Jakarta
	 * Bean Validation reports the listeners' own constraints.
	 */
	private static String field(String listener, String property) {
		return "listeners[" + listener + "]." + property;
	}

	/**
	 * The ports the HTTP servers listen on, when this application has them.
	 * @return the property that sets each port, by port
	 */
	private Map<Integer, String> httpPorts() {
		return (this.context instanceof WebServerApplicationContext)
				? new HashMap<>(HttpPorts.of(Binder.get(this.context.getEnvironment()))) : new HashMap<>();
	}

}
