package dev.wireport.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.wireport.WireportApplication;

/**
 * Runs the jar's entry point in a child JVM, as {@code java -jar wireport.jar <command>}
 * would, on the test class path.
 */
final class CliProcess {

	private CliProcess() {
	}

	static ProcessBuilder builder(String... args) {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.add("-cp");
		command.add(System.getProperty("java.class.path"));
		command.add(WireportApplication.class.getName());
		command.addAll(List.of(args));
		return new ProcessBuilder(command);
	}

	/**
	 * Runs a command to its end with the given standard input.
	 * @param stdin the whole standard input
	 * @param args the command and its options
	 * @return exit status and output
	 * @throws IOException if the process cannot run
	 * @throws InterruptedException if interrupted while waiting
	 */
	static Result run(String stdin, String... args) throws IOException, InterruptedException {
		Process process = builder(args).start();
		process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
		process.getOutputStream().close();
		if (!process.waitFor(60, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			throw new IllegalStateException("Command did not finish within 60s: " + List.of(args));
		}
		return new Result(process.exitValue(),
				new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
				new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
	}

	record Result(int exitStatus, String out, String err) {
	}

}
