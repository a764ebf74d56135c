package dev.wireport.cli;

import java.nio.file.Path;

import dev.wireport.tcp.TcpListeners;
import dev.wireport.tcp.TestPki;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The TCP clients with {@code --tls}, run as child processes against TLS listeners whose
 * certificates the test makes.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
// Closed before the certificates' directory is deleted.
@DirtiesContext
class CliTlsTest {

	private static final String ACK = "server接收消息成功";

	@TempDir
	static Path directory;

	private static TestPki ca;

	private static TestPki.Issued client;

	@Autowired
	private TcpListeners listeners;

	@BeforeAll
	static void certificates() throws Exception {
		ca = new TestPki(directory, "wireport-test-ca");
		ca.issue("server", "wireport test server", "localhost", "127.0.0.1");
		client = ca.issue("client", "wireport test client");
	}

	@DynamicPropertySource
	static void listeners(DynamicPropertyRegistry registry) {
		registry.add("wireport.tcp.listeners.seed.enabled", () -> false);
		registry.add("wireport.tcp.listeners.framed.enabled", () -> false);
		registry.add("spring.ssl.bundle.pem.server.keystore.certificate",
				() -> directory.resolve("server.crt").toUri().toString());
		registry.add("spring.ssl.bundle.pem.server.keystore.private-key",
				() -> directory.resolve("server.key").toUri().toString());
		registry.add("spring.ssl.bundle.pem.server.truststore.certificate", () -> ca.certificate().toUri().toString());
		for (String listener : new String[] { "tls", "need" }) {
			String prefix = "wireport.tcp.listeners." + listener + ".";
			registry.add(prefix + "port", () -> 0);
			registry.add(prefix + "framing", () -> "lf");
			registry.add(prefix + "ssl.bundle", () -> "server");
		}
		registry.add("wireport.tcp.listeners.need.ssl.client-auth", () -> "need");
	}

	private String port(String listener) {
		return String.valueOf(this.listeners.port(listener));
	}

	@Test
	void tcpClientWithTheServersCaGetsTheAck() throws Exception {
		CliProcess.Result result = CliProcess.run("hello\n", "tcp-client", "--port", port("tls"), "--framing", "lf",
				"--tls", "--ca", ca.certificate().toString());

		assertThat(result.exitStatus()).as(result.err()).isZero();
		assertThat(result.out()).isEqualTo(ACK + "\n");
	}

	@Test
	void tcpClientWithoutTheServersCaFailsTheHandshake() throws Exception {
		CliProcess.Result result = CliProcess.run("hello\n", "tcp-client", "--port", port("tls"), "--framing", "lf",
				"--tls");

		assertThat(result.exitStatus()).isEqualTo(1);
		assertThat(result.err()).startsWith("tcp-client: TLS handshake with 127.0.0.1:" + port("tls") + " failed: ")
			.doesNotContain("\tat ");
	}

	@Test
	void tcpClientInsecureAcceptsAnyServerCertificate() throws Exception {
		CliProcess.Result result = CliProcess.run("hello\n", "tcp-client", "--port", port("tls"), "--framing", "lf",
				"--tls", "--insecure");

		assertThat(result.exitStatus()).as(result.err()).isZero();
		assertThat(result.out()).isEqualTo(ACK + "\n");
	}

	@Test
	void tcpClientWithACertificateIsServedWhereOneIsNeeded() throws Exception {
		CliProcess.Result result = CliProcess.run("hello\n", "tcp-client", "--port", port("need"), "--framing", "lf",
				"--tls", "--ca", ca.certificate().toString(), "--cert", client.certificate().toString(), "--key",
				client.key().toString());

		assertThat(result.exitStatus()).as(result.err()).isZero();
		assertThat(result.out()).isEqualTo(ACK + "\n");
	}

	@Test
	void tcpClientWithoutACertificateIsRefusedWhereOneIsNeeded() throws Exception {
		CliProcess.Result result = CliProcess.run("hello\n", "tcp-client", "--port", port("need"), "--framing", "lf",
				"--tls", "--ca", ca.certificate().toString());

		assertThat(result.exitStatus()).isEqualTo(1);
		assertThat(result.out()).isEmpty();
	}

	@Test
	void stickyDemoOverTls() throws Exception {
		CliProcess.Result result = CliProcess.run("", "sticky-demo", "--port", port("tls"), "--framing", "lf", "--tls",
				"--ca", ca.certificate().toString());

		assertThat(result.exitStatus()).as(result.err()).isZero();
		assertThat(result.out())
			.isEqualTo("sent 20 messages of 20 bytes back to back with framing lf\nacknowledged: 20\n");
	}

	@Test
	void benchTcpOverTlsVerifiesEveryReply() throws Exception {
		CliProcess.Result result = CliProcess.run("", "bench", "tcp", "--port", port("tls"), "--connections", "2",
				"--messages", "200", "--window", "8", "--tls", "--ca", ca.certificate().toString());

		assertThat(result.exitStatus()).as(result.err()).isZero();
		assertThat(result.out()).contains("replies: 400/400 lost=0 wrong=0");
	}

	@Test
	void tlsOptionsWithoutTlsAreAUsageError() throws Exception {
		CliProcess.Result result = CliProcess.run("", "tcp-client", "--port", port("tls"), "--ca",
				ca.certificate().toString());

		assertThat(result.exitStatus()).isEqualTo(2);
		assertThat(result.err()).isEqualTo("tcp-client: --ca, --cert, --key and --insecure need --tls\n");
	}

	@Test
	void aMissingPemFileIsAUsageError() throws Exception {
		CliProcess.Result result = CliProcess.run("", "tcp-client", "--port", port("tls"), "--tls", "--ca",
				directory.resolve("missing.crt").toString());

		assertThat(result.exitStatus()).isEqualTo(2);
		assertThat(result.err())
			.isEqualTo("tcp-client: --ca " + directory.resolve("missing.crt") + ": no such file, or not readable\n");
	}

}
