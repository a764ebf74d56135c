package dev.wireport.config;

import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

import dev.wireport.payload.Instance;

/**
 * Configuration properties holding listeners keyed by name, which
 * {@link NamedListenersValidator} checks across fields and across listeners.
 *
 * @param <L> the listener type
 */
public interface NamedListeners<L extends NamedListeners.Listener> {

	/**
	 * What a listener's name (its key) may be: letters, digits, {@code -} and {@code _},
	 * at least one of them not a digit, so that an old list index such as {@code 0} is
	 * never taken for a name.
	 */
	String NAME = "(?=.*[^0-9])[A-Za-z0-9][A-Za-z0-9_-]*";

	/** Why a name was refused. */
	String NAME_MESSAGE = "a listener's name uses letters, digits, '-' and '_', starts with a letter or digit and is not a number";

	/**
	 * The protocol whose port numbers the listeners take, which also names their
	 * properties.
	 * @return {@code TCP} or {@code UDP}
	 */
	String protocol();

	/**
	 * The listeners as bound.
	 * @return the listeners by name
	 */
	Map<String, L> listeners();

	/**
	 * The enabled listeners, each turned into what the transport needs.
	 * @param <S> the settings type
	 * @param settings makes one listener's settings from its name and its properties
	 * @return the settings, in the listeners' order
	 */
	default <S> List<S> enabled(BiFunction<String, L, S> settings) {
		return listeners().entrySet()
			.stream()
			.filter((entry) -> entry.getValue().enabled())
			.map((entry) -> settings.apply(entry.getKey(), entry.getValue()))
			.toList();
	}

	/**
	 * What the checks across fields and listeners need of one listener.
	 */
	interface Listener {

		boolean enabled();

		Integer port();

		/**
		 * Why the acknowledgement cannot be sent, which depends on more than one field:
		 * with reply {@code identify}, on the listener's name and this instance's too.
		 * @param name the listener's name
		 * @param instance this instance
		 * @return the reason, or {@code null} if it can be sent (or another constraint
		 * already refuses a field it depends on)
		 */
		String ackProblem(String name, Instance instance);

	}

}
