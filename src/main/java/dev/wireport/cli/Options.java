package dev.wireport.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import dev.wireport.framing.Framing;

import org.springframework.boot.convert.DurationStyle;

/**
 * A command's options: {@code --name value} or {@code --name=value}, each declared with a
 * default and a description, plus positional arguments.
 */
final class Options {

	private final Map<String, String> values;

	private final List<String> positional;

	private Options(Map<String, String> values, List<String> positional) {
		this.values = values;
		this.positional = positional;
	}

	/**
	 * Parses a command's arguments.
	 * @param declared the options the command knows, with their defaults
	 * @param args the arguments after the command's name
	 * @return the options
	 * @throws CommandException for an unknown option or a missing value
	 */
	static Options parse(List<Option> declared, List<String> args) throws CommandException {
		Map<String, String> values = new LinkedHashMap<>();
		declared.forEach((option) -> values.put(option.name(), option.defaultValue()));
		Set<String> flags = declared.stream().filter(Option::flag).map(Option::name).collect(Collectors.toSet());
		List<String> positional = new ArrayList<>();
		for (int i = 0; i < args.size(); i++) {
			String arg = args.get(i);
			if (!arg.startsWith("--")) {
				positional.add(arg);
				continue;
			}
			int equals = arg.indexOf('=');
			String name = arg.substring(2, (equals > 0) ? equals : arg.length());
			if (!values.containsKey(name)) {
				throw CommandException.usage("unknown option --" + name);
			}
			if (equals < 0 && flags.contains(name)) {
				values.put(name, "true");
			}
			else if (equals > 0) {
				values.put(name, arg.substring(equals + 1));
			}
			else if (i + 1 < args.size()) {
				values.put(name, args.get(++i));
			}
			else {
				throw CommandException.usage("option --" + name + " needs a value");
			}
		}
		return new Options(values, positional);
	}

	String text(String name) {
		return this.values.get(name);
	}

	int number(String name, int min, int max) throws CommandException {
		try {
			int value = Integer.parseInt(this.values.get(name));
			if (value < min || value > max) {
				throw CommandException.usage("--" + name + " must be between " + min + " and " + max);
			}
			return value;
		}
		catch (NumberFormatException ex) {
			throw CommandException.usage("--" + name + " must be a whole number, not '" + this.values.get(name) + "'");
		}
	}

	/**
	 * A flag: {@code --name} alone sets it, {@code --name=false} clears it.
	 */
	boolean flag(String name) throws CommandException {
		String value = this.values.get(name);
		if (!value.equals("true") && !value.equals("false")) {
			throw CommandException.usage("--" + name + " is true or false, not '" + value + "'");
		}
		return Boolean.parseBoolean(value);
	}

	int port(String name) throws CommandException {
		return number(name, 1, 65535);
	}

	Duration duration(String name) throws CommandException {
		try {
			Duration duration = DurationStyle.detectAndParse(this.values.get(name));
			if (duration.isNegative() || duration.isZero()) {
				throw CommandException.usage("--" + name + " must be positive");
			}
			return duration;
		}
		catch (IllegalArgumentException ex) {
			throw CommandException
				.usage("--" + name + " must be a duration such as 500ms or 5s, not '" + this.values.get(name) + "'");
		}
	}

	Framing framing(String name) throws CommandException {
		try {
			return Framing.fromConfigName(this.values.get(name));
		}
		catch (IllegalArgumentException ex) {
			throw CommandException.usage("--" + name + ": " + ex.getMessage());
		}
	}

	List<String> positional() {
		return this.positional;
	}

	/**
	 * One declared option.
	 *
	 * @param name the name, without {@code --}
	 * @param defaultValue the value when the option is not given
	 * @param description one line for {@code --help}
	 * @param flag whether it is a flag, set by its name alone
	 */
	record Option(String name, String defaultValue, String description, boolean flag) {

		Option(String name, String defaultValue, String description) {
			this(name, defaultValue, description, false);
		}

		static Option flag(String name, String description) {
			return new Option(name, "false", description, true);
		}

		static Option host() {
			return new Option("host", "127.0.0.1", "server host");
		}

		static Option port(String defaultPort) {
			return new Option("port", defaultPort, "server port");
		}

		static Option framing(String defaultFraming) {
			return new Option("framing", defaultFraming, "framing: " + Framing.validNames());
		}

	}

}
