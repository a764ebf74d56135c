package dev.wireport.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import dev.wireport.tcp.TcpListeners;
import dev.wireport.udp.UdpListeners;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each client command, run as a child process against a service started by the test.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "wireport.tcp.listeners.seed.port=0", "wireport.tcp.listeners.framed.port=0",
				"wireport.tcp.listeners.echo.port=0", "wireport.tcp.listeners.echo.framing=lf",
				"wireport.tcp.listeners.echo.reply=echo", "wireport.udp.listeners.seed.port=0",
				"wireport.udp.listeners.seed.reply-rate=1000000", "wireport.udp.listeners.seed.reply-burst=1000000" })
class CliTest {

	private static final String ACK = "server接收消息成功";

	@Autowired
	private TcpListeners listeners;

	@Autowired
	private UdpListeners udpListeners;

	@Autowired
	private MeterRegistry registry;

	@LocalServerPort
	private int httpPort;

	private String port(String listener) {
		return String.valueOf(this.listeners.port(listener));
	}

	@Test
	void tcpClientSendsEachTrimmedLineUntilQ() throws Exception {
		CliProcess.Result result = CliProcess.run("hello\n   spaced out  \n\nQ\nnever sent\n", "tcp-client", "--port",
				port("echo"), "--framing", "lf");

		assertThat(result.exitStatus()).isZero();
		assertThat(result.out()).isEqualTo("hello\nspaced out\n");
	}

	@Test
	void tcpClientQuitsAtTheEndOfInputOnTheSeedListener() throws Exception {
		CliProcess.Result result = CliProcess.run("one\ntwo\n", "tcp-client", "--port", port("seed"));

		assertThat(result.exitStatus()).isZero();
		assertThat(result.out()).isEqualTo(ACK + "\n" + ACK + "\n");
	}

	@Test
	void tcpClientAnswersLineByLineWhenUsedInteractively() throws Exception {
		Process process = CliProcess.builder("tcp-client", "--port", port("echo"), "--framing", "lf").start();
		try (OutputStream stdin = process.getOutputStream();
				BufferedReader stdout = new BufferedReader(
						new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
			for (String line : new String[] { "first", "second" }) {
				stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
				stdin.flush();
				assertThat(stdout.readLine()).isEqualTo(line);
			}
			stdin.write("q\n".getBytes(StandardCharsets.UTF_8));
			stdin.flush();
			assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
			assertThat(process.exitValue()).isZero();
		}
		finally {
			process.destroyForcibly();
		}
	}

	@Test
	void tcpClientReportsARefusedConnectionInOneLine() throws Exception {
		int closedPort;
		try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
			closedPort = socket.getLocalPort();
		}
		CliProcess.Result result = CliProcess.run("hello\n", "tcp-client", "--port", String.valueOf(closedPort));

		assertThat(result.exitStatus()).isEqualTo(1);
		assertThat(result.err())
			.isEqualTo("tcp-client: cannot connect to 127.0.0.1:" + closedPort + ": Connection refused\n");
	}

	@Test
	void stickyDemoShowsEveryMessageWithADelimitingFraming() throws Exception {
		CliProcess.Result result = CliProcess.run("", "sticky-demo", "--port", port("framed"), "--framing", "lf");

		assertThat(result.exitStatus()).isZero();
		assertThat(result.out())
			.isEqualTo("sent 20 messages of 20 bytes back to back with framing lf\nacknowledged: 20\n");
	}

	@Test
	void stickyDemoCountsWhatTheServerSawOnChunk() throws Exception {
		double before = receivedOn("seed");

		CliProcess.Result result = CliProcess.run("", "sticky-demo", "--port", port("seed"), "--framing", "chunk");

		assertThat(result.exitStatus()).isZero();
		int acknowledged = Integer.parseInt(result.out().replaceAll("(?s).*acknowledged: (\\d+)\\n", "$1"));
		// Glued writes are one message each: the server saw exactly as many messages as
		// it acknowledged, and the 400 bytes fit in at most 20.
		assertThat(acknowledged).isBetween(1, 20);
		assertThat(receivedOn("seed") - before).isEqualTo(acknowledged);
	}

	private double receivedOn(String listener) {
		return this.registry.get("wireport.tcp.messages.received").tag("listener", listener).counter().count();
	}

	@Test
	void udpClientPrintsTheReplyLikeTheSeed() throws Exception {
		int port = this.udpListeners.port("seed");

		CliProcess.Result result = CliProcess.run("", "udp-client", "--port", String.valueOf(port));

		assertThat(result.exitStatus()).isZero();
		assertThat(result.out()).isEqualTo("recv:server接收数据成功 addr:127.0.0.1:" + port + " count:24\n");
	}

	@Test
	void benchUdpVerifiesEveryReply() throws Exception {
		CliProcess.Result result = CliProcess.run("", "bench", "udp", "--port",
				String.valueOf(this.udpListeners.port("seed")), "--connections", "4", "--messages", "250");

		assertThat(result.exitStatus()).as(result.err()).isZero();
		assertThat(result.out()).contains("replies: 1000/1000 lost=0 wrong=0");
	}

	@Test
	void udpClientTimesOutWhenNothingAnswers() throws Exception {
		try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
			CliProcess.Result result = CliProcess.run("", "udp-client", "--port", String.valueOf(silent.getLocalPort()),
					"--timeout", "300ms");

			assertThat(result.exitStatus()).isEqualTo(1);
			assertThat(result.err())
				.isEqualTo("udp-client: no reply from 127.0.0.1:" + silent.getLocalPort() + " within 300ms\n");
		}
	}

	@Test
	void fetchPrintsStatusHeadersAndBody() throws Exception {
		CliProcess.Result result = CliProcess.run("", "fetch", "http://127.0.0.1:" + this.httpPort + "/go");

		assertThat(result.exitStatus()).isZero();
		assertThat(result.out()).startsWith("200 OK\n200\n")
			.containsIgnoringCase("content-type: text/plain;charset=UTF-8")
			.endsWith("\n\nHelloWorld\n");
	}

	@Test
	void fetchCutsTheBodyAtMaxBytes() throws Exception {
		CliProcess.Result result = CliProcess.run("", "fetch", "--max-bytes", "5",
				"http://127.0.0.1:" + this.httpPort + "/livez");

		assertThat(result.exitStatus()).isZero();
		assertThat(result.out()).endsWith("\n\n{\"sta\n");
		assertThat(result.err()).isEqualTo("fetch: body cut at 5 bytes (--max-bytes)\n");
	}

	@ParameterizedTest
	@ValueSource(strings = { "1", "8" })
	void benchVerifiesEveryReply(String window) throws Exception {
		CliProcess.Result result = CliProcess.run("", "bench", "tcp", "--port", port("framed"), "--connections", "4",
				"--messages", "500", "--window", window);

		assertThat(result.exitStatus()).as(result.err()).isZero();
		assertThat(result.out()).contains("replies: 2000/2000 lost=0 wrong=0").contains("rate:").contains("p99.9=");
	}

	@Test
	void benchFailsWhenRepliesAreWrong() throws Exception {
		CliProcess.Result result = CliProcess.run("", "bench", "tcp", "--port", port("echo"), "--connections", "2",
				"--messages", "10");

		assertThat(result.exitStatus()).isEqualTo(1);
		assertThat(result.out()).contains("replies: 20/20 lost=0 wrong=20");
		assertThat(result.err()).isEqualTo("bench: 0 of 20 replies lost, 20 wrong\n");
	}

	@ParameterizedTest
	@ValueSource(strings = { "tcp-client", "sticky-demo", "udp-client", "fetch", "bench" })
	void everyCommandHasHelp(String command) throws Exception {
		CliProcess.Result result = CliProcess.run("", command, "--help");

		assertThat(result.exitStatus()).isZero();
		assertThat(result.out()).startsWith("usage: java -jar wireport.jar " + command);
	}

	@Test
	void aBadOptionIsAOneLineUsageError() throws IOException, InterruptedException {
		CliProcess.Result result = CliProcess.run("", "tcp-client", "--port", "not-a-port");

		assertThat(result.exitStatus()).isEqualTo(2);
		assertThat(result.err()).isEqualTo("tcp-client: --port must be a whole number, not 'not-a-port'\n");
	}

}
