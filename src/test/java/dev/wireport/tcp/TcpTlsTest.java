package dev.wireport.tcp;

import java.io.BufferedReader;
import java.io.File;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.RequiredSearch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * TLS and mutual TLS on TCP listeners, with certificates made for the test (a CA, server
 * and client certificates, an expired one, one for another host, one from a CA nobody
 * trusts) and JDK TLS clients on real sockets.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
@ExtendWith(OutputCaptureExtension.class)
// Closed before the certificates' directory is deleted, which its file watcher would
// report.
@DirtiesContext
class TcpTlsTest {

	private static final String ACK = TcpProperties.SEED_ACK;

	@TempDir
	static Path directory;

	private static TestPki ca;

	private static TestPki.Issued server;

	private static TestPki.Issued client;

	private static TestPki untrusted;

	private static Path reloading;

	private static Path mounted;

	@Autowired
	private TcpListeners listeners;

	@Autowired
	private MeterRegistry registry;

	@BeforeAll
	static void certificates() throws Exception {
		ca = new TestPki(directory, "wireport-test-ca");
		server = ca.issue("server", "wireport test server", "localhost", "127.0.0.1");
		client = ca.issue("client", "wireport test client");
		Instant now = Instant.now();
		ca.issue("expired", "wireport expired server", now.minus(Duration.ofDays(3)), now.minus(Duration.ofDays(1)),
				"localhost", "127.0.0.1");
		ca.issue("elsewhere", "wireport server elsewhere", "elsewhere.example");
		untrusted = new TestPki(directory, "untrusted-ca");
		untrusted.issue("untrusted-client", "wireport untrusted client");
		// The reloading bundle's own files, replaced by the test.
		reloading = Files.createDirectories(directory.resolve("reloading"));
		TestPki.Issued first = ca.issue("first", "wireport first server", "localhost", "127.0.0.1");
		Files.copy(first.certificate(), reloading.resolve("tls.crt"));
		Files.copy(first.key(), reloading.resolve("tls.key"));
		// A bundle read from a directory laid out as the kubelet mounts a Secret: each
		// file a symlink through ..data to a directory of one version, which every update
		// of the Secret replaces.
		mounted = Files.createDirectories(directory.resolve("mounted"));
		mountSecret(ca.issue("mounted-1", "wireport mounted server 1", "localhost", "127.0.0.1"));
		for (String file : List.of("tls.crt", "tls.key")) {
			Files.createSymbolicLink(mounted.resolve(file), Path.of("..data", file));
		}
	}

	/**
	 * Updates the mounted Secret as the kubelet does: the new version's files in a
	 * directory of their own, then a new ..data link renamed over the old one in one
	 * step, then the old version removed.
	 */
	private static void mountSecret(TestPki.Issued issued) throws IOException {
		Path data = mounted.resolve("..data");
		Path previous = Files.isSymbolicLink(data) ? mounted.resolve(Files.readSymbolicLink(data)) : null;
		Path version = Files.createDirectory(mounted.resolve("..version-" + System.nanoTime()));
		Files.copy(issued.certificate(), version.resolve("tls.crt"));
		Files.copy(issued.key(), version.resolve("tls.key"));
		Path link = Files.createSymbolicLink(mounted.resolve("..data_tmp"), version.getFileName());
		Files.move(link, data, StandardCopyOption.ATOMIC_MOVE);
		if (previous != null) {
			FileSystemUtils.deleteRecursively(previous);
		}
	}

	@DynamicPropertySource
	static void listeners(DynamicPropertyRegistry registry) {
		registry.add("wireport.tcp.listeners.seed.enabled", () -> false);
		registry.add("wireport.tcp.listeners.framed.enabled", () -> false);
		bundle(registry, "server", "server", true);
		bundle(registry, "expired", "expired", false);
		bundle(registry, "elsewhere", "elsewhere", false);
		registry.add("spring.ssl.bundle.pem.reloading.keystore.certificate",
				() -> reloading.resolve("tls.crt").toUri().toString());
		registry.add("spring.ssl.bundle.pem.reloading.keystore.private-key",
				() -> reloading.resolve("tls.key").toUri().toString());
		registry.add("spring.ssl.bundle.pem.reloading.reload-on-update", () -> true);
		registry.add("spring.ssl.bundle.pem.mounted.keystore.certificate",
				() -> mounted.resolve("tls.crt").toUri().toString());
		registry.add("spring.ssl.bundle.pem.mounted.keystore.private-key",
				() -> mounted.resolve("tls.key").toUri().toString());
		registry.add("spring.ssl.bundle.pem.mounted.reload-on-update", () -> true);
		registry.add("spring.ssl.bundle.watch.file.quiet-period", () -> "100ms");
		listener(registry, "tls", "server");
		listener(registry, "need", "server");
		registry.add("wireport.tcp.listeners.need.ssl.client-auth", () -> "need");
		listener(registry, "want", "server");
		registry.add("wireport.tcp.listeners.want.ssl.client-auth", () -> "want");
		listener(registry, "slow", "server");
		registry.add("wireport.tcp.listeners.slow.ssl.handshake-timeout", () -> "300ms");
		listener(registry, "expired", "expired");
		listener(registry, "elsewhere", "elsewhere");
		listener(registry, "reloading", "reloading");
		listener(registry, "mounted", "mounted");
		listener(registry, "proxied", "server");
		registry.add("wireport.tcp.listeners.proxied.proxy-protocol", () -> "required");
	}

	private static void bundle(DynamicPropertyRegistry registry, String bundle, String files, boolean trustCa) {
		String prefix = "spring.ssl.bundle.pem." + bundle + ".";
		registry.add(prefix + "keystore.certificate", () -> directory.resolve(files + ".crt").toUri().toString());
		registry.add(prefix + "keystore.private-key", () -> directory.resolve(files + ".key").toUri().toString());
		if (trustCa) {
			registry.add(prefix + "truststore.certificate", () -> ca.certificate().toUri().toString());
		}
	}

	private static void listener(DynamicPropertyRegistry registry, String name, String bundle) {
		String prefix = "wireport.tcp.listeners." + name + ".";
		registry.add(prefix + "port", () -> 0);
		registry.add(prefix + "host", () -> "127.0.0.1");
		registry.add(prefix + "framing", () -> "lf");
		registry.add(prefix + "ssl.bundle", () -> bundle);
	}

	@Test
	void aTlsClientGetsTheAckAndTheConnectionIsMetered(CapturedOutput output) throws IOException {
		try (SSLSocket socket = connect("tls", TestPki.clientContext(ca.certificate(), null), true)) {
			assertThat(exchange(socket, "hello over tls")).isEqualTo(ACK);
			String protocol = socket.getSession().getProtocol();
			assertThat(protocol).isEqualTo("TLSv1.3");
			assertThat(openConnections("tls", protocol, socket.getSession().getCipherSuite())).isEqualTo(1);
			await().untilAsserted(() -> assertThat(output).contains("opened protocol=TLSv1.3 cipher=")
				.contains("client=none")
				.contains("payload=\"hello over tls\""));
		}
		await().until(() -> this.listeners.activeConnections("tls") == 0);
		assertThat(handshakes("tls", "completed", "none")).isPositive();
	}

	@Test
	void thePlainTextProxyProtocolHeaderComesBeforeTheHandshake(CapturedOutput output) throws IOException {
		int port = this.listeners.port("proxied");
		Socket plain = new Socket("127.0.0.1", port);
		plain.getOutputStream()
			.write("PROXY TCP4 203.0.113.7 192.0.2.1 56324 9443\r\n".getBytes(StandardCharsets.US_ASCII));
		SSLContext context = TestPki.clientContext(ca.certificate(), null);
		try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(plain, "localhost", port, true)) {
			socket.setSoTimeout(5000);
			assertThat(exchange(socket, "hello through a proxy")).isEqualTo(ACK);
			await().untilAsserted(() -> assertThat(output).contains("listener=proxied")
				.contains("remote=203.0.113.7:56324 via=127.0.0.1:")
				.contains("payload=\"hello through a proxy\""));
		}
	}

	@Test
	void aTlsClientWithoutTheRequiredProxyProtocolHeaderIsCountedAndClosed() throws IOException {
		double before = rejected("proxied", "proxy-protocol");
		SSLContext context = TestPki.clientContext(ca.certificate(), null);
		assertThatExceptionOfType(IOException.class).isThrownBy(() -> {
			try (SSLSocket socket = connect("proxied", context, false)) {
				socket.startHandshake();
			}
		});
		await().until(() -> rejected("proxied", "proxy-protocol") == before + 1);
		assertThat(this.listeners.activeConnections("proxied")).isZero();
	}

	@Test
	void aPlainTextClientGetsNothingAndIsClosed(CapturedOutput output) throws IOException {
		double before = handshakes("tls", "failed", "protocol");
		try (Socket socket = new Socket("127.0.0.1", this.listeners.port("tls"))) {
			socket.setSoTimeout(5000);
			socket.getOutputStream()
				.write(("hello in plain text " + "x".repeat(1000) + "\n").getBytes(StandardCharsets.UTF_8));
			assertThat(readToEnd(socket.getInputStream())).isEmpty();
		}
		await().until(() -> handshakes("tls", "failed", "protocol") == before + 1);
		assertThat(this.listeners.activeConnections("tls")).isZero();
		// What the client sent is not logged whole. The line is written off the event
		// loop.
		await()
			.untilAsserted(() -> assertThat(output).contains("TLS handshake failed (protocol): not an SSL/TLS record"));
		assertThat(output).doesNotContain("78".repeat(200));
	}

	@Test
	void aClientThatLeavesBeforeTheHandshakeIsCounted() throws IOException {
		double before = handshakes("tls", "failed", "protocol");
		new Socket("127.0.0.1", this.listeners.port("tls")).close();
		await().until(() -> handshakes("tls", "failed", "protocol") == before + 1);
	}

	@Test
	void anUnansweredHandshakeTimesOut() throws IOException {
		try (Socket socket = new Socket("127.0.0.1", this.listeners.port("slow"))) {
			socket.setSoTimeout(5000);
			assertThat(readToEnd(socket.getInputStream())).isEmpty();
		}
		await().until(() -> handshakes("slow", "failed", "timeout") == 1);
	}

	@Test
	void anExpiredServerCertificateFailsTheHandshake(CapturedOutput output) {
		failsWithCertificate("expired", TestPki.clientContext(ca.certificate(), null), false);
		await().untilAsserted(() -> assertThat(output).contains("listener=expired remote=127.0.0.1:")
			.contains("TLS handshake failed (certificate)"));
	}

	@Test
	void aServerCertificateForAnotherHostFailsTheHandshake() {
		failsWithCertificate("elsewhere", TestPki.clientContext(ca.certificate(), null), true);
	}

	@Test
	void aServerCertificateFromAnUntrustedCaFailsTheHandshake() {
		failsWithCertificate("tls", TestPki.clientContext(untrusted.certificate(), null), false);
	}

	@Test
	void needWithoutAClientCertificateFailsTheHandshake() {
		failsWithCertificate("need", TestPki.clientContext(ca.certificate(), null), false);
	}

	@Test
	void needWithAClientCertificateFromAnUntrustedCaFailsTheHandshake() {
		TestPki.Issued stranger = new TestPki.Issued(directory.resolve("untrusted-client.crt"),
				directory.resolve("untrusted-client.key"));
		failsWithCertificate("need", TestPki.clientContext(ca.certificate(), stranger), false);
	}

	@Test
	void needWithAClientCertificateServesAndLogsItsSubject(CapturedOutput output) throws IOException {
		try (SSLSocket socket = connect("need", TestPki.clientContext(ca.certificate(), client), true)) {
			assertThat(exchange(socket, "hello from a known client")).isEqualTo(ACK);
		}
		await().untilAsserted(() -> assertThat(output)
			.containsPattern("listener=need connection=\\S+ remote=127\\.0\\.0\\.1:\\d+ opened protocol=TLSv1\\.3 "
					+ "cipher=\\S+ client=\"CN=wireport test client\"")
			.containsPattern("listener=need connection=\\S+ remote=127\\.0\\.0\\.1:\\d+ client=\"CN=wireport test "
					+ "client\" size=25 payload=\"hello from a known client\""));
	}

	@Test
	void wantServesClientsWithAndWithoutACertificate(CapturedOutput output) throws IOException {
		try (SSLSocket socket = connect("want", TestPki.clientContext(ca.certificate(), null), true)) {
			assertThat(exchange(socket, "anonymous")).isEqualTo(ACK);
		}
		try (SSLSocket socket = connect("want", TestPki.clientContext(ca.certificate(), client), true)) {
			assertThat(exchange(socket, "known")).isEqualTo(ACK);
		}
		await().untilAsserted(() -> assertThat(output).contains("listener=want")
			.contains("client=\"CN=wireport test client\" size=5 payload=\"known\""));
	}

	@Test
	void aReloadedBundleServesNewConnections() throws Exception {
		SSLContext trusting = TestPki.clientContext(ca.certificate(), null);
		assertThat(serverSubject("reloading", trusting)).isEqualTo("CN=wireport first server");
		try (SSLSocket before = connect("reloading", trusting, true)) {
			assertThat(exchange(before, "before")).isEqualTo(ACK);
			TestPki.Issued second = ca.issue("second", "wireport second server", "localhost", "127.0.0.1");
			Files.copy(second.key(), reloading.resolve("tls.key"), StandardCopyOption.REPLACE_EXISTING);
			Files.copy(second.certificate(), reloading.resolve("tls.crt"), StandardCopyOption.REPLACE_EXISTING);
			await().atMost(Duration.ofSeconds(20))
				.until(() -> serverSubject("reloading", trusting).equals("CN=wireport second server"));
			// The connection opened before goes on with what it had.
			assertThat(exchange(before, "after")).isEqualTo(ACK);
		}
	}

	@Test
	void aBundleFromAMountedSecretFollowsEveryUpdate() throws Exception {
		SSLContext trusting = TestPki.clientContext(ca.certificate(), null);
		assertThat(serverSubject("mounted", trusting)).isEqualTo("CN=wireport mounted server 1");
		// Twice: a watcher that followed the first version's directory would see only
		// the first update.
		for (int update = 2; update <= 3; update++) {
			String subject = "CN=wireport mounted server " + update;
			mountSecret(ca.issue("mounted-" + update, subject.substring(3), "localhost", "127.0.0.1"));
			await().atMost(Duration.ofSeconds(20)).until(() -> serverSubject("mounted", trusting).equals(subject));
		}
	}

	@Test
	void opensslSClientGetsTheAck() throws Exception {
		assumeThat(onPath("openssl")).as("openssl on the PATH").isTrue();
		Process openssl = new ProcessBuilder("openssl", "s_client", "-connect",
				"127.0.0.1:" + this.listeners.port("tls"), "-quiet", "-verify_return_error", "-CAfile",
				ca.certificate().toString())
			.redirectError(ProcessBuilder.Redirect.DISCARD)
			.start();
		try (OutputStream in = openssl.getOutputStream();
				BufferedReader out = new BufferedReader(
						new InputStreamReader(openssl.getInputStream(), StandardCharsets.UTF_8))) {
			in.write("hello from openssl\n".getBytes(StandardCharsets.UTF_8));
			in.flush();
			assertThat(out.readLine()).isEqualTo(ACK);
		}
		finally {
			openssl.destroy();
			openssl.waitFor(10, TimeUnit.SECONDS);
		}
	}

	private void failsWithCertificate(String listener, SSLContext context, boolean checkHost) {
		double before = handshakes(listener, "failed", "certificate");
		assertThatExceptionOfType(IOException.class).isThrownBy(() -> {
			try (SSLSocket socket = connect(listener, context, checkHost)) {
				// TLS 1.3: a client certificate refused shows at the first read.
				exchange(socket, "never answered");
			}
		}).isInstanceOfAny(SSLException.class, SocketException.class);
		await().until(() -> handshakes(listener, "failed", "certificate") == before + 1);
		assertThat(this.listeners.activeConnections(listener)).isZero();
	}

	private String serverSubject(String listener, SSLContext context) throws IOException {
		try (SSLSocket socket = connect(listener, context, true)) {
			socket.startHandshake();
			return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
		}
	}

	/**
	 * A TLS client on the listener, for the host name {@code localhost}; with
	 * {@code checkHost}, it checks that the server's certificate is for that name, as
	 * HTTPS clients do.
	 */
	private SSLSocket connect(String listener, SSLContext context, boolean checkHost) throws IOException {
		int port = this.listeners.port(listener);
		Socket plain = new Socket("127.0.0.1", port);
		SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(plain, "localhost", port, true);
		socket.setSoTimeout(5000);
		if (checkHost) {
			SSLParameters parameters = socket.getSSLParameters();
			parameters.setEndpointIdentificationAlgorithm("HTTPS");
			socket.setSSLParameters(parameters);
		}
		return socket;
	}

	private static String exchange(Socket socket, String message) throws IOException {
		socket.getOutputStream().write((message + "\n").getBytes(StandardCharsets.UTF_8));
		socket.getOutputStream().flush();
		BufferedReader reader = new BufferedReader(
				new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
		String line = reader.readLine();
		if (line == null) {
			throw new SocketException("closed without a reply");
		}
		return line;
	}

	/** What the peer sends until it closes; a reset counts as closed. */
	private static byte[] readToEnd(InputStream in) throws IOException {
		ByteArrayOutputStream read = new ByteArrayOutputStream();
		byte[] buffer = new byte[1024];
		try {
			for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
				read.write(buffer, 0, n);
			}
		}
		catch (SocketException reset) {
			// Closed with the peer's input unread: a reset, after whatever came before.
		}
		return read.toByteArray();
	}

	private double handshakes(String listener, String outcome, String reason) {
		return meter("wireport.tcp.tls.handshakes", listener, "outcome", outcome, "reason", reason).counter().count();
	}

	private double rejected(String listener, String reason) {
		return meter("wireport.tcp.frames.rejected", listener, "reason", reason).counter().count();
	}

	private double openConnections(String listener, String protocol, String cipher) {
		return meter("wireport.tcp.tls.connections", listener, "protocol", protocol, "cipher", cipher).gauge().value();
	}

	private RequiredSearch meter(String name, String listener, String... tags) {
		return RequiredSearch.in(this.registry).name(name).tag("listener", listener).tags(tags);
	}

	private static boolean onPath(String command) {
		for (String directory : System.getenv("PATH").split(File.pathSeparator)) {
			if (Files.isExecutable(Path.of(directory, command))) {
				return true;
			}
		}
		return false;
	}

}
