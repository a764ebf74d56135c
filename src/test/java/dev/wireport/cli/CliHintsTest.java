package dev.wireport.cli;

import dev.wireport.framing.Framing;
import dev.wireport.tcp.TcpListeners;
import dev.wireport.udp.UdpListeners;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When replies do not come, the clients say why they likely did not, against a real
 * service: a framing that does not match the listener's (TCP), the service's reply limit
 * per source address (UDP).
 */
@SpringBootTest(
		properties = { "wireport.udp.listeners.seed.reply-rate=0.001", "wireport.udp.listeners.seed.reply-burst=20" })
class CliHintsTest {

	private static final String GENERAL_HINT = "the framing may not match the listener's (this client used %s): "
			+ "the default listeners are seed=chunk on 9000, framed=lf on 9080; pass the listener's with --framing";

	@Autowired
	private TcpListeners tcp;

	@Autowired
	private UdpListeners udp;

	@Test
	void tcpClientWithoutTheListenersFramingHearsWhy() throws Exception {
		String port = String.valueOf(this.tcp.port("framed"));

		CliProcess.Result result = failing("hello\n", "tcp-client", "--port", port, "--timeout", "500ms");

		assertThat(result.err())
			.isEqualTo("tcp-client: no reply within 500ms; " + GENERAL_HINT.formatted("chunk") + "\n");
	}

	@Test
	void benchTcpWithoutAnyReplyHearsWhy() throws Exception {
		String port = String.valueOf(this.tcp.port("framed"));

		CliProcess.Result result = failing("", "bench", "tcp", "--port", port, "--framing", "length-header-4",
				"--connections", "1", "--messages", "3", "--timeout", "500ms");

		assertThat(result.out()).contains("replies: 0/3 lost=1 wrong=0 unsent=2\n");
		assertThat(result.err()).isEqualTo("bench: 1 of 1 replies lost, 0 wrong, 2 messages not sent (the run ended"
				+ " first: --max-time 60s, or a connection failed); first error: no reply within 500ms; "
				+ GENERAL_HINT.formatted("length-header-4") + "\n");
	}

	@Test
	void aDefaultListenersPortNamesItsFraming() {
		assertThat(ServiceDefaults.load().framingHint(Framing.CHUNK, 9080))
			.isEqualTo("the framing may not match the listener's (this client used chunk): port 9080 is the default"
					+ " listener 'framed', which expects lf: add --framing lf");
	}

	/**
	 * The listener answers a burst of 20, then (at 0.001 replies per second) nothing:
	 * each sender's every later message waits its 500ms in vain, so the run ends with
	 * messages unsent.
	 */
	@Test
	void benchUdpRecognisesTheReplyLimitAndCountsUnsentMessagesApart() throws Exception {
		String port = String.valueOf(this.udp.port("seed"));

		CliProcess.Result result = failing("", "bench", "udp", "--port", port, "--connections", "2", "--messages", "50",
				"--timeout", "500ms", "--max-time", "4s");

		assertThat(result.out()).containsPattern("replies: 20/100 lost=\\d+ wrong=0 unsent=\\d+\n");
		assertThat(result.err()).containsPattern("^bench: \\d+ of \\d+ replies lost, 0 wrong, \\d+ messages not sent")
			.contains("; first error: no reply within 500ms\n"
					+ "replies stopped after the first 20, then came at about 0/s: the likely cause is the service's"
					+ " reply limit per source address (reply-rate 100/s, reply-burst 200 unless configured), a guard"
					+ " against reflection, and every sender of this benchmark is one source.\n"
					+ "Raise it for a benchmark: --wireport.udp.listeners.<name>.reply-rate=1000000"
					+ " --wireport.udp.listeners.<name>.reply-burst=1000000 (or"
					+ " WIREPORT_UDP_LISTENERS_<NAME>_REPLYRATE=1000000 WIREPORT_UDP_LISTENERS_<NAME>_REPLYBURST=1000000)\n");
	}

	private static CliProcess.Result failing(String stdin, String... args) throws Exception {
		CliProcess.Result result = CliProcess.run(stdin, args);
		assertThat(result.exitStatus()).as(result.err()).isEqualTo(1);
		return result;
	}

}
