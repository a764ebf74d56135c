package dev.wireport.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The clients that ship in the service's jar: {@code java -jar wireport.jar <command>}
 * runs one and exits, starting no server. Without a command the jar runs the service.
 */
public final class Cli {

	private static final List<Command> COMMANDS = List.of(new TcpClientCommand(), new StickyDemoCommand(),
			new UdpClientCommand(), new FetchCommand(), new BenchCommand());

	private Cli() {
	}

	/** What asks for the overview instead of running the service or a command. */
	private static final List<String> HELP = List.of("--help", "-h", "help");

	/**
	 * Whether the arguments name a command, or ask for help, rather than configure the
	 * service, whose arguments all start with {@code --}. Spring Boot would take
	 * {@code --help} for a property and start the service.
	 * @param args the process's arguments
	 * @return whether to run a command
	 */
	public static boolean isCommand(String[] args) {
		return args.length > 0 && (!args[0].startsWith("-") || isHelp(args));
	}

	private static boolean isHelp(String[] args) {
		return args[0].startsWith("-") ? Arrays.stream(args).anyMatch(HELP::contains) : HELP.contains(args[0]);
	}

	/**
	 * Runs the command the arguments name.
	 * @param args the command's name, then its options
	 * @param in standard input
	 * @param out standard output
	 * @param err standard error
	 * @return the exit status: 0 on success
	 */
	public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
		String name = args[0];
		if (isHelp(args)) {
			out.print(overview());
			return 0;
		}
		Command command = COMMANDS.stream()
			.filter((candidate) -> candidate.name().equals(name))
			.findFirst()
			.orElse(null);
		if (command == null) {
			err.println("wireport: unknown command '" + name + "'; commands: " + commandNames());
			return CommandException.USAGE;
		}
		List<String> rest = Arrays.asList(args).subList(1, args.length);
		if (rest.contains("--help")) {
			out.print(usage(command));
			return 0;
		}
		try {
			command.run(Options.parse(command.options(), rest), new Command.Io(in, out, err));
			return 0;
		}
		catch (CommandException ex) {
			err.println(name + ": " + ex.getMessage());
			return ex.exitStatus();
		}
		catch (IOException ex) {
			err.println(name + ": " + ex.getClass().getSimpleName() + ": " + ex.getMessage());
			return CommandException.FAILED;
		}
		catch (Exception ex) {
			err.println(name + ": " + ex);
			return CommandException.FAILED;
		}
	}

	private static String commandNames() {
		return COMMANDS.stream().map(Command::name).collect(Collectors.joining(", "));
	}

	private static String overview() {
		StringBuilder text = new StringBuilder(
				"usage: java -jar wireport.jar [--<property>=<value> ...]   runs the service\n")
			.append("       java -jar wireport.jar <command> [options]          runs a client and exits\n")
			.append("       java -jar wireport.jar --help                        prints this help\n\n")
			.append(ServiceDefaults.load().help())
			.append("\nCommands (each takes --help):\n");
		COMMANDS
			.forEach((command) -> text.append(String.format("  %-12s %s%n", command.name(), command.description())));
		return text.toString();
	}

	static String usage(Command command) {
		StringBuilder text = new StringBuilder("usage: java -jar wireport.jar ").append(command.name())
			.append(' ')
			.append(command.synopsis())
			.append('\n')
			.append(command.description())
			.append('\n');
		if (!command.options().isEmpty()) {
			text.append("options:\n");
		}
		for (Options.Option option : command.options()) {
			text.append(String.format("  --%-12s %s (default: %s)%n", option.name(), option.description(),
					option.defaultValue().isEmpty() ? "none" : option.defaultValue()));
		}
		return text.toString();
	}

}
