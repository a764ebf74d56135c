package dev.wireport.netns;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A network namespace joined to the root namespace by a {@code veth} pair on a /30 of its
 * own in 10.254.0.0/16: the root end is {@link #rootAddress()}, the namespace's end
 * {@link #address()}. Processes started in it reach the root namespace only through that
 * pair, so taking the pair's link down makes them vanish for the root namespace: their
 * packets, FIN and reset included, no longer arrive, and nothing arrives for them.
 * {@link #close()} ends its processes and removes the namespace, which removes the pair.
 *
 * <p>
 * Names carry the creating process's id ({@code wpf-<pid>-<n>}), so parallel runs never
 * meet, and what a killed run left behind is recognised and removed by the next.
 */
public final class NetworkNamespace implements AutoCloseable {

	private static final Pattern OURS = Pattern.compile("wpf-?(\\d+)-\\d+");

	private static final Pattern SUBNET = Pattern.compile("inet 10\\.254\\.(\\d+)\\.(\\d+)/30");

	private static final int SUBNETS = 16384;

	private static final AtomicInteger sequence = new AtomicInteger();

	private static final Object cleaning = new Object();

	private static boolean cleaned;

	private final String name;

	/** The pair's end in the root namespace; the other end is in the namespace. */
	private final String rootLink;

	private final String link;

	private final String rootAddress;

	private final String address;

	private final List<Process> processes = new ArrayList<>();

	private NetworkNamespace(String name, String rootLink, String link, int subnet) {
		this.name = name;
		this.rootLink = rootLink;
		this.link = link;
		int base = subnet * 4;
		this.rootAddress = "10.254." + (base >> 8) + "." + ((base & 0xff) + 1);
		this.address = "10.254." + (base >> 8) + "." + ((base & 0xff) + 2);
	}

	/**
	 * Makes a namespace and its pair, up and addressed.
	 * @return the namespace
	 * @throws IOException if {@code ip} fails
	 */
	public static NetworkNamespace create() throws IOException {
		removeStale();
		long pid = ProcessHandle.current().pid();
		int n = sequence.incrementAndGet();
		// Interface names are 15 characters at most.
		String rootLink = "wpf" + pid + "-" + n;
		String link = "wpfn" + pid + "-" + n;
		// One process at a time picks a free /30 and takes it, across parallel runs.
		Path lockFile = Path.of(System.getProperty("java.io.tmpdir"), "wpf-netns.lock");
		try (RandomAccessFile file = new RandomAccessFile(lockFile.toFile(), "rw");
				FileChannel channel = file.getChannel();
				FileLock lock = channel.lock()) {
			NetworkNamespace namespace = new NetworkNamespace("wpf-" + pid + "-" + n, rootLink, link,
					freeSubnet((int) (pid * 8 + n)));
			try {
				namespace.setUp();
			}
			catch (IOException | RuntimeException ex) {
				namespace.close();
				throw ex;
			}
			return namespace;
		}
	}

	private void setUp() throws IOException {
		ip("netns", "add", this.name);
		ip("link", "add", this.rootLink, "type", "veth", "peer", "name", this.link);
		ip("link", "set", this.link, "netns", this.name);
		ip("addr", "add", this.rootAddress + "/30", "dev", this.rootLink);
		ip("link", "set", this.rootLink, "up");
		ip("-n", this.name, "addr", "add", this.address + "/30", "dev", this.link);
		ip("-n", this.name, "link", "set", this.link, "up");
		ip("-n", this.name, "link", "set", "lo", "up");
	}

	/** A /30 no interface of the root namespace is on, near a start of this run's own. */
	private static int freeSubnet(int start) throws IOException {
		Set<Integer> used = new HashSet<>();
		Matcher matcher = SUBNET.matcher(ip("-4", "-o", "addr", "show"));
		while (matcher.find()) {
			used.add((Integer.parseInt(matcher.group(1)) * 256 + Integer.parseInt(matcher.group(2))) / 4);
		}
		for (int i = 0; i < SUBNETS; i++) {
			int subnet = Math.floorMod(start + i, SUBNETS);
			if (!used.contains(subnet)) {
				return subnet;
			}
		}
		throw new IOException("No free /30 in 10.254.0.0/16");
	}

	/**
	 * Removes, once per test run, namespaces and links that a run no longer alive left
	 * behind (killed before it could clean up).
	 */
	private static void removeStale() throws IOException {
		synchronized (cleaning) {
			if (cleaned) {
				return;
			}
			for (String line : ip("netns", "list").split("\n")) {
				String namespace = line.split(" ")[0];
				if (isStale(namespace)) {
					ip("netns", "delete", namespace);
				}
			}
			for (String line : ip("-o", "link", "show").split("\n")) {
				String[] fields = line.split(": ");
				if (fields.length > 1) {
					String link = fields[1].split("@")[0];
					if (isStale(link)) {
						ip("link", "delete", link);
					}
				}
			}
			cleaned = true;
		}
	}

	private static boolean isStale(String name) {
		Matcher ours = OURS.matcher(name);
		return ours.matches()
				&& !ProcessHandle.of(Long.parseLong(ours.group(1))).map(ProcessHandle::isAlive).orElse(false);
	}

	static String ip(String... args) throws IOException {
		List<String> command = new ArrayList<>();
		command.add("ip");
		command.addAll(List.of(args));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		try {
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
				throw new IOException(String.join(" ", command) + " failed: " + output.strip());
			}
			return output;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException("Interrupted: " + String.join(" ", command), ex);
		}
		finally {
			process.destroyForcibly();
		}
	}

	public String name() {
		return this.name;
	}

	/**
	 * The namespace's address, where its processes are reached from the root namespace.
	 * @return the namespace's end of the pair
	 */
	public String address() {
		return this.address;
	}

	/**
	 * The pair's /30, in CIDR notation.
	 * @return the network both ends are on
	 */
	public String subnet() {
		return this.rootAddress.substring(0, this.rootAddress.lastIndexOf('.') + 1)
				+ (Integer.parseInt(this.rootAddress.substring(this.rootAddress.lastIndexOf('.') + 1)) - 1) + "/30";
	}

	/**
	 * The root namespace's address on the pair, where processes in the namespace reach
	 * services of the root namespace.
	 * @return the root end of the pair
	 */
	public String rootAddress() {
		return this.rootAddress;
	}

	/**
	 * Takes the namespace's end of the pair down: its processes vanish without a FIN or a
	 * reset, as a client whose cable is cut. The root namespace keeps its route, so a
	 * server there sends into the void, as it would to a peer that vanished somewhere on
	 * the way, rather than failing at once for want of a route.
	 * @throws IOException if {@code ip} fails
	 */
	public void linkDown() throws IOException {
		ip("-n", this.name, "link", "set", this.link, "down");
	}

	/**
	 * Takes the root namespace's end of the pair down: the root namespace loses its route
	 * to the namespace, so what it sends there fails at once (no route to the host)
	 * instead of going into the void.
	 * @throws IOException if {@code ip} fails
	 */
	public void rootLinkDown() throws IOException {
		ip("link", "set", this.rootLink, "down");
	}

	/**
	 * Whether the namespace's end of the pair is down, as the kernel reports it.
	 * @return {@code true} while it is down
	 * @throws IOException if {@code ip} fails
	 */
	public boolean isLinkDown() throws IOException {
		return ip("-n", this.name, "-o", "link", "show", this.link).contains("state DOWN");
	}

	/**
	 * Brings the namespace's end of the pair up again.
	 * @throws IOException if {@code ip} fails
	 */
	public void linkUp() throws IOException {
		ip("-n", this.name, "link", "set", this.link, "up");
	}

	/**
	 * Starts a Java program in the namespace, a main class of the test class path's own
	 * (it needs nothing but the JDK); ended by {@link #close()} if it is still running.
	 * @param main the main class
	 * @param args its arguments
	 * @return the program, its output and error merged
	 * @throws IOException if it cannot start
	 */
	public ChildProcess startJava(Class<?> main, String... args) throws IOException {
		List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", this.name,
				Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
				"-XX:TieredStopAtLevel=1", "-cp",
				Path.of(main.getProtectionDomain().getCodeSource().getLocation().getPath()).toString(),
				main.getName()));
		command.addAll(List.of(args));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		synchronized (this.processes) {
			this.processes.add(process);
		}
		return new ChildProcess(main.getSimpleName() + " " + String.join(" ", args), process);
	}

	/**
	 * Ends every process started in the namespace, then removes it with its pair.
	 */
	@Override
	public void close() throws IOException {
		synchronized (this.processes) {
			for (Process process : this.processes) {
				process.destroyForcibly();
			}
			for (Process process : this.processes) {
				try {
					process.waitFor(10, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
		}
		// The pair first: deleting one end deletes both at once, where the namespace's
		// removal takes its end, and the pair, away only later, in the background.
		try {
			if (ip("-o", "link", "show").contains(" " + this.rootLink + "@")) {
				ip("link", "delete", this.rootLink);
			}
		}
		finally {
			if (ip("netns", "list").lines().anyMatch((line) -> line.split(" ")[0].equals(this.name))) {
				ip("netns", "delete", this.name);
			}
		}
	}

	@Override
	public String toString() {
		return this.name + " (" + this.address + " <-> " + this.rootAddress + ")";
	}

}
