package dev.wireport.udp;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The datagrams the Linux kernel dropped for one UDP socket, from the {@code drops}
 * column of {@code /proc/net/udp} and {@code /proc/net/udp6}. A burst that overflows the
 * socket's receive buffer is lost before wireport reads it; the kernel counts it per
 * socket, and this makes that count a listener's meter. Elsewhere than Linux there is no
 * such file, and no meter.
 */
final class KernelDrops {

	private static final List<Path> TABLES = List.of(Path.of("/proc/net/udp"), Path.of("/proc/net/udp6"));

	private static final Path OWN_DESCRIPTORS = Path.of("/proc/self/fd");

	private static final int LOCAL_ADDRESS = 1;

	private static final int INODE = 9;

	private static final int DROPS = 12;

	private final String inode;

	private long last;

	private KernelDrops(String inode) {
		this.inode = inode;
	}

	/**
	 * Finds this process's socket bound to a local UDP port: of the kernel's UDP sockets
	 * with that port, the one whose inode is among this process's open descriptors.
	 * @param port the bound port
	 * @return the socket's drop count, or empty where the kernel does not publish it
	 */
	static Optional<KernelDrops> forLocalPort(int port) {
		String portSuffix = ":" + String.format(Locale.ROOT, "%04X", port);
		Set<String> ownSockets = ownSocketInodes();
		return row((row) -> row[LOCAL_ADDRESS].endsWith(portSuffix) && ownSockets.contains(row[INODE]))
			.map((row) -> new KernelDrops(row[INODE]));
	}

	/**
	 * The socket's drops so far; once the socket is closed, the last count read.
	 * @return datagrams dropped by the kernel
	 */
	synchronized long count() {
		row((row) -> row[INODE].equals(this.inode)).ifPresent((row) -> this.last = Long.parseLong(row[DROPS]));
		return this.last;
	}

	/**
	 * The first row of the UDP tables that matches; the IPv6 table is read only if
	 * needed.
	 */
	private static Optional<String[]> row(Predicate<String[]> matching) {
		return TABLES.stream().flatMap((table) -> rows(table).stream()).filter(matching).findFirst();
	}

	private static List<String[]> rows(Path table) {
		try {
			// The first line names the columns.
			return Files.readAllLines(table)
				.stream()
				.skip(1)
				.map((line) -> line.trim().split("\\s+"))
				.filter((row) -> row.length > DROPS)
				.toList();
		}
		catch (IOException ex) {
			return List.of();
		}
	}

	private static Set<String> ownSocketInodes() {
		Set<String> inodes = new HashSet<>();
		try (DirectoryStream<Path> descriptors = Files.newDirectoryStream(OWN_DESCRIPTORS)) {
			for (Path descriptor : descriptors) {
				String target = readLink(descriptor);
				if (target.startsWith("socket:[") && target.endsWith("]")) {
					inodes.add(target.substring("socket:[".length(), target.length() - 1));
				}
			}
		}
		catch (IOException ex) {
			return Set.of();
		}
		return inodes;
	}

	private static String readLink(Path descriptor) {
		try {
			return Files.readSymbolicLink(descriptor).toString();
		}
		catch (IOException ex) {
			// Closed since the directory was listed.
			return "";
		}
	}

}
