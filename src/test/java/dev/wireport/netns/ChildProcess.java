package dev.wireport.netns;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;

/**
 * A child process whose output is read line by line as it comes, so a test can wait for
 * what the child says and the child never blocks on a full pipe.
 */
public final class ChildProcess {

	private final String description;

	private final Process process;

	private final List<String> lines = new CopyOnWriteArrayList<>();

	ChildProcess(String description, Process process) {
		this.description = description;
		this.process = process;
		Thread reader = new Thread(() -> {
			try (BufferedReader output = new BufferedReader(
					new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
				output.lines().forEach(this.lines::add);
			}
			catch (IOException ex) {
				// The process ended.
			}
		}, "child-output");
		reader.setDaemon(true);
		reader.start();
	}

	/**
	 * Waits for a line of the child's output.
	 * @param pattern what the line must match (found anywhere in it)
	 * @param timeout how long to wait
	 * @return the match of the first line that matches
	 */
	public Matcher awaitLine(String pattern, Duration timeout) {
		Pattern wanted = Pattern.compile(pattern);
		return await().atMost(timeout)
			.alias(this.description + " saying " + pattern + "; it said: " + this.lines)
			.until(() -> this.lines.stream().map(wanted::matcher).filter(Matcher::find).findFirst().orElse(null),
					(found) -> found != null);
	}

	/**
	 * Writes a line to the child's input.
	 * @param line the line
	 * @throws IOException if the child's input is closed
	 */
	public void tell(String line) throws IOException {
		OutputStream in = this.process.getOutputStream();
		in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
		in.flush();
	}

	/**
	 * Everything the child said so far.
	 * @return its output lines
	 */
	public List<String> output() {
		return List.copyOf(this.lines);
	}

	public Process process() {
		return this.process;
	}

	@Override
	public String toString() {
		return this.description;
	}

}
