package dev.wireport.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.List;

/**
 * One command-line client: {@code java -jar wireport.jar <name> [options]}.
 */
abstract class Command {

	private final String name;

	private final String synopsis;

	private final String description;

	private final List<Options.Option> options;

	/**
	 * Describes a command for the dispatcher and its {@code --help}.
	 * @param name the command's name
	 * @param synopsis the arguments after the name, e.g. {@code [options] <url>}
	 * @param description one line on what it does
	 * @param options the options it takes
	 */
	Command(String name, String synopsis, String description, Options.Option... options) {
		this.name = name;
		this.synopsis = synopsis;
		this.description = description;
		this.options = List.of(options);
	}

	String name() {
		return this.name;
	}

	String synopsis() {
		return this.synopsis;
	}

	String description() {
		return this.description;
	}

	List<Options.Option> options() {
		return this.options;
	}

	/**
	 * Runs the command to its end.
	 * @param options the parsed options
	 * @param io standard input, output and error
	 * @throws CommandException with the one-line reason of a failure
	 * @throws Exception for anything unforeseen, reported by its message
	 */
	abstract void run(Options options, Io io) throws Exception;

	/**
	 * The process's standard streams, replaceable in tests.
	 *
	 * @param in standard input
	 * @param out standard output (UTF-8)
	 * @param err standard error (UTF-8)
	 */
	record Io(InputStream in, PrintStream out, PrintStream err) {
	}

}
