package dev.wireport.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.wireport.io.ListenerBindException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports a listener that could not bind: which listener, which port, and, when the port
 * is taken, which process holds it (on Linux, when this user may see it), with how to
 * move the listener. Two of the service's own sockets on one port never get here: the
 * configuration check refuses them first ({@link PortClashFailureAnalyzer}).
 */
class ListenerBindFailureAnalyzer extends AbstractFailureAnalyzer<ListenerBindException> {

	private static final Path PROC = Path.of("/proc");

	/** The most of the holder's command line shown. */
	private static final int COMMAND_SHOWN = 120;

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, ListenerBindException cause) {
		String reason = String.valueOf(cause.getCause().getMessage());
		String listener = cause.getProtocol() + " listener '" + cause.getListener() + "'";
		String where = cause.getHost() + ":" + cause.getPort();
		String move = "--" + cause.getPortProperty() + "=<port> (or " + EnvironmentVariable.of(cause.getPortProperty())
				+ "=<port>); port 0 picks a free one.";
		if (reason.contains("Address already in use")) {
			String holder = holder(cause.getProtocol(), cause.getPort()).map((process) -> ": " + process)
				.orElse(" (another process)");
			return new FailureAnalysis(
					listener + " could not listen on " + where + ": the port is in use" + holder + ".",
					"Stop the process that holds " + cause.getProtocol() + " port " + cause.getPort()
							+ ", or move the listener: " + move,
					null);
		}
		if (reason.contains("Permission denied") && cause.getPort() < 1024) {
			return new FailureAnalysis(listener + " could not listen on " + where
					+ ": only a privileged process may listen on a port" + " below 1024.",
					"Move the listener to a port above 1023: " + move, null);
		}
		String host = cause.getPortProperty().replaceFirst("port$", "host");
		return new FailureAnalysis(listener + " could not listen on " + where + ": " + reason + ".",
				"Check " + host + " (an address of this machine, or 0.0.0.0 for all of them) and "
						+ cause.getPortProperty() + ": " + move,
				null);
	}

	/**
	 * The process listening on a port, found the way {@code ss -p} finds it: the socket's
	 * inode in {@code /proc/net}, then the process with a descriptor of it.
	 * @return e.g. {@code pid 4242 (java -jar wireport.jar)}, or empty where
	 * {@code /proc} does not tell
	 */
	private static Optional<String> holder(String protocol, int port) {
		String table = protocol.toLowerCase(Locale.ROOT);
		// A TCP socket that listens, or a UDP socket that is bound and not connected.
		String state = "TCP".equals(protocol) ? "0A" : "07";
		String local = String.format(":%04X", port);
		Set<String> sockets = Stream.of(table, table + "6")
			.flatMap((name) -> lines(PROC.resolve("net").resolve(name)).stream().skip(1))
			.map((line) -> line.trim().split("\\s+"))
			.filter((fields) -> fields.length > 9 && fields[1].endsWith(local) && fields[3].equals(state))
			.map((fields) -> "socket:[" + fields[9] + "]")
			.collect(Collectors.toSet());
		if (sockets.isEmpty()) {
			return Optional.empty();
		}
		try (DirectoryStream<Path> processes = Files.newDirectoryStream(PROC, "[0-9]*")) {
			for (Path process : processes) {
				if (holds(process, sockets)) {
					String command = new String(Files.readAllBytes(process.resolve("cmdline")), StandardCharsets.UTF_8)
						.replaceAll("[\\s\\x00]+", " ")
						.trim();
					return Optional.of("pid " + process.getFileName() + " ("
							+ ((command.length() > COMMAND_SHOWN) ? command.substring(0, COMMAND_SHOWN) + "…" : command)
							+ ")");
				}
			}
		}
		catch (IOException ex) {
			// No /proc (not Linux): nothing more to say than that the port is taken.
		}
		return Optional.empty();
	}

	private static boolean holds(Path process, Set<String> sockets) {
		try (DirectoryStream<Path> descriptors = Files.newDirectoryStream(process.resolve("fd"))) {
			for (Path descriptor : descriptors) {
				if (sockets.contains(Files.readSymbolicLink(descriptor).toString())) {
					return true;
				}
			}
		}
		catch (IOException | SecurityException ex) {
			// Another user's process, or one that ended meanwhile.
		}
		return false;
	}

	private static List<String> lines(Path file) {
		try {
			return Files.readAllLines(file);
		}
		catch (IOException ex) {
			return List.of();
		}
	}

}
