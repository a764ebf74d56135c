package dev.wireport.tcp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.wireport.framing.FrameCodec;
import dev.wireport.framing.Framing;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageEncoder;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.event.EventListener;
import org.springframework.integration.ip.tcp.connection.TcpConnection;
import org.springframework.integration.ip.tcp.connection.TcpConnectionOpenEvent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The PROXY protocol on real sockets: a v1 line or v2 header puts the client's address it
 * carries into the log lines, with the peer's as {@code via}; {@code required} refuses a
 * connection without one, any listener a malformed one, and nothing of a refused header
 * reaches the flow; {@code optional} serves both kinds of client on one port.
 *
 * <p>
 * The v2 headers come from Netty's {@link HAProxyMessageEncoder}, the encoder of the
 * codec the service decodes with: it writes the specification's layout, which a header
 * built by hand here would only restate, while the v1 lines and the malformed headers are
 * written by hand, since they are text or deliberately wrong.
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE,
		properties = { "wireport.tcp.listeners.proxied.port=0", "wireport.tcp.listeners.proxied.framing=lf",
				"wireport.tcp.listeners.proxied.reply=echo", "wireport.tcp.listeners.proxied.log-rate=0",
				"wireport.tcp.listeners.proxied.proxy-protocol=required",
				"wireport.tcp.listeners.proxied.frame-timeout=1s", "wireport.tcp.listeners.proxied.idle-timeout=2s",
				"wireport.tcp.listeners.mixed.port=0", "wireport.tcp.listeners.mixed.framing=lf",
				"wireport.tcp.listeners.mixed.reply=echo", "wireport.tcp.listeners.mixed.log-rate=0",
				"wireport.tcp.listeners.mixed.proxy-protocol=optional",
				"logging.level.dev.wireport.tcp.ListenerConnections=debug" })
class TcpProxyProtocolTest {

	private static final FrameCodec LF = Framing.LF.codec(1024);

	@Autowired
	private TcpListeners listeners;

	@Autowired
	private MeterRegistry registry;

	@Autowired
	private OpenedConnections opened;

	/**
	 * Each header puts the address it carries into the connection's log lines, with the
	 * peer's as {@code via}; the message after it is the client's first, whole.
	 */
	@ParameterizedTest(name = "{0}")
	@MethodSource("headers")
	void aHeaderPutsTheClientsAddressIntoTheLogLines(String kind, byte[] header, String remote, CapturedOutput output)
			throws IOException {
		try (WireClient client = client("proxied")) {
			client.write(header).write(kind + "\n");

			assertThat(client.receive(LF)).asString().isEqualTo(kind);
		}
		String connection = "listener=proxied connection=\\S+ remote=" + remote + " via=127.0.0.1:\\d+";
		awaitLine(output, connection + " size=" + kind.length() + " payload=\"" + kind + "\"");
		awaitLine(output, connection + " opened");
	}

	static Stream<Arguments> headers() {
		return Stream.of(
				Arguments.of("v1 tcp4", v1("PROXY TCP4 203.0.113.7 192.0.2.1 56324 9000"), "203.0.113.7:56324"),
				Arguments.of("v1 tcp6", v1("PROXY TCP6 2001:db8::7 2001:db8::1 56325 9000"),
						"2001:db8:0:0:0:0:0:7:56325"),
				Arguments.of("v2 ipv4",
						v2(HAProxyCommand.PROXY, HAProxyProxiedProtocol.TCP4, "198.51.100.9", "192.0.2.1"),
						"198.51.100.9:40001"),
				Arguments.of("v2 ipv6", v2(HAProxyCommand.PROXY, HAProxyProxiedProtocol.TCP6, "2001:db8:0:0:0:0:0:9",
						"2001:db8:0:0:0:0:0:1"), "2001:db8:0:0:0:0:0:9:40001"));
	}

	/**
	 * The connection is announced only once the header is read: Spring Integration's open
	 * event already names the client, and so does the connection for the flow.
	 */
	@Test
	void theOpenEventComesWithTheClientsAddress() throws IOException {
		try (WireClient client = client("proxied")) {
			client.write("PROXY TCP4 203.0.113.99 192.0.2.1 50999 9000\r\n");

			await().atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(this.opened.events).anySatisfy((event) -> {
					TcpConnection connection = (TcpConnection) event.getSource();
					assertThat(connection.getHostAddress()).isEqualTo("203.0.113.99");
					assertThat(connection.getHostName()).isEqualTo("203.0.113.99");
					assertThat(connection.getPort()).isEqualTo(50999);
				}));
		}
	}

	/**
	 * A proxy's own connection (v2 {@code LOCAL}, its health check) or one it cannot
	 * describe (v1 {@code UNKNOWN}) carries no client: the peer is the client, without
	 * {@code via}.
	 */
	@ParameterizedTest(name = "{0}")
	@MethodSource("proxysOwnConnections")
	void aProxysOwnConnectionKeepsThePeersAddress(String kind, byte[] header, CapturedOutput output)
			throws IOException {
		try (WireClient client = client("proxied")) {
			client.write(header).write(kind + "\n");

			assertThat(client.receive(LF)).asString().isEqualTo(kind);
		}
		awaitLine(output, "remote=127.0.0.1:\\d+ size=" + kind.length() + " payload=\"" + kind + "\"");
	}

	static Stream<Arguments> proxysOwnConnections() {
		return Stream.of(Arguments.of("v2 local", v2(HAProxyCommand.LOCAL, HAProxyProxiedProtocol.UNKNOWN, null, null)),
				Arguments.of("v1 unknown", v1("PROXY UNKNOWN")));
	}

	/**
	 * Split inside the v2 signature, inside its address block, and right after the
	 * header, each part a write of its own on a socket without Nagle.
	 */
	@Test
	void aHeaderSplitAcrossWritesIsReadWhole(CapturedOutput output) throws IOException {
		byte[] header = v2(HAProxyCommand.PROXY, HAProxyProxiedProtocol.TCP4, "192.0.2.77", "192.0.2.1");
		try (WireClient client = client("proxied")) {
			client.write(Arrays.copyOfRange(header, 0, 5))
				.write(Arrays.copyOfRange(header, 5, 20))
				.write(Arrays.copyOfRange(header, 20, header.length))
				.write("split v2\n");
			assertThat(client.receive(LF)).asString().isEqualTo("split v2");
		}
		try (WireClient client = client("proxied")) {
			client.write("PRO").write("XY TCP4 192.0.2.78 192.0.2.1 40004 ").write("9000\r").write("\nsplit v1\n");

			assertThat(client.receive(LF)).asString().isEqualTo("split v1");
		}
		awaitLine(output, "remote=192.0.2.77:40001 via=127.0.0.1:\\d+ size=8 payload=\"split v2\"");
		awaitLine(output, "remote=192.0.2.78:40004 via=127.0.0.1:\\d+ size=8 payload=\"split v1\"");
	}

	@Test
	void requiredRefusesAClientWithoutAHeaderAtOnce() throws IOException {
		double before = rejected("proxied");
		try (WireClient client = client("proxied")) {
			client.write("no header\n");

			assertThat(client.receive(LF)).asString().isEqualTo("ERROR PROXY protocol header required");
			assertThat(client.readToEnd()).isEmpty();
		}
		assertThat(rejected("proxied") - before).isEqualTo(1);
	}

	/**
	 * A v1 address that is not one, a v1 line longer than the specification's 107 bytes,
	 * a v2 header of an unknown version: each is refused and counted, and neither the
	 * header nor the message after it reaches the flow.
	 */
	@ParameterizedTest
	@MethodSource("malformedHeaders")
	void aMalformedHeaderIsRefusedAndNeverReachesTheFlow(String malformed, String problem, CapturedOutput output)
			throws IOException {
		double before = rejected("proxied");
		double received = received("proxied");
		try (WireClient client = client("proxied")) {
			client.write(malformed.getBytes(StandardCharsets.ISO_8859_1));

			assertThat(client.receive(LF)).asString().isEqualTo("ERROR PROXY protocol header malformed: " + problem);
			assertThat(client.readToEnd()).isEmpty();
		}
		assertThat(rejected("proxied") - before).isEqualTo(1);
		awaitLine(output, "listener=proxied connection=\\S+ remote=127.0.0.1:\\d+ frame rejected \\(proxy-protocol\\)");
		assertThat(received("proxied")).isEqualTo(received);
		assertThat(output.getOut()).doesNotContain("payload=\"secret\"");
	}

	@Test
	void aHeaderNeverCompletedIsCutOffByTheFrameTimeout() throws IOException {
		double before = rejected("proxied");
		try (WireClient client = client("proxied")) {
			client.write("PROXY TCP4 203.0.113.7");

			assertThat(client.receive(LF)).asString()
				.isEqualTo("ERROR PROXY protocol header not completed within the frame timeout of 1000ms");
			assertThat(client.readToEnd()).isEmpty();
		}
		assertThat(rejected("proxied") - before).isEqualTo(1);
	}

	/**
	 * A peer that connects and sends nothing, a TCP health check for one, is left to the
	 * idle timeout as on any listener: closed without an error, and not counted as a
	 * refused header.
	 */
	@Test
	void aPeerThatSendsNothingIsClosedByTheIdleTimeout() throws IOException {
		double before = rejected("proxied");
		try (WireClient client = client("proxied")) {
			assertThat(client.readToEnd()).isEmpty();
		}
		assertThat(rejected("proxied")).isEqualTo(before);
	}

	@Test
	void optionalServesClientsWithAndWithoutAHeaderOnOnePort(CapturedOutput output) throws IOException {
		try (WireClient proxied = client("mixed"); WireClient direct = client("mixed")) {
			proxied.write("PROXY TCP4 203.0.113.50 192.0.2.1 51000 9000\r\nwith header\n");
			// Shorter than any header: told apart by its first byte, not by waiting.
			direct.write("hi\n");

			assertThat(direct.receive(LF)).asString().isEqualTo("hi");
			assertThat(proxied.receive(LF)).asString().isEqualTo("with header");
		}
		awaitLine(output, "listener=mixed connection=\\S+ remote=203.0.113.50:51000 via=127.0.0.1:\\d+ size=11");
		awaitLine(output, "listener=mixed connection=\\S+ remote=127.0.0.1:\\d+ size=2 payload=\"hi\"");
	}

	/** Each header, and what the reply says is wrong with it. */
	static Stream<Arguments> malformedHeaders() {
		return Stream.of(
				Arguments.of("PROXY TCP4 999.0.113.7 192.0.2.1 56324 9000\r\nsecret\n",
						"invalid IPv4 address: 999.0.113.7"),
				Arguments.of("PROXY TCP4 203.0.113.7 192.0.2.1 56324 9000 " + "-".repeat(72) + "\r\nsecret\n",
						"header length (116) exceeds the allowed maximum (108)"),
				Arguments.of("\r\n\r\n\u0000\r\nQUIT\n\u0031\u0011\u0000\u0000secret\n", "unknown version: 48"));
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class OpenedConnections {

		final Queue<TcpConnectionOpenEvent> events = new ConcurrentLinkedQueue<>();

		@EventListener
		void opened(TcpConnectionOpenEvent event) {
			this.events.add(event);
		}

	}

	private WireClient client(String listener) throws IOException {
		return new WireClient(this.listeners.port(listener));
	}

	private double rejected(String listener) {
		return this.registry.get("wireport.tcp.frames.rejected")
			.tags("listener", listener, "reason", "proxy-protocol")
			.counter()
			.count();
	}

	private double received(String listener) {
		return this.registry.get("wireport.tcp.messages.received").tags("listener", listener).counter().count();
	}

	private static void awaitLine(CapturedOutput output, String line) {
		Pattern pattern = Pattern.compile(line);
		await().atMost(Duration.ofSeconds(5)).until(() -> pattern.matcher(output.getOut()).find());
	}

	private static byte[] v1(String line) {
		return (line + "\r\n").getBytes(StandardCharsets.US_ASCII);
	}

	/** A v2 header as Netty's encoder writes it, from port 40001 to 9000. */
	private static byte[] v2(HAProxyCommand command, HAProxyProxiedProtocol protocol, String source,
			String destination) {
		HAProxyMessage message = new HAProxyMessage(HAProxyProtocolVersion.V2, command, protocol, source, destination,
				(source != null) ? 40001 : 0, (source != null) ? 9000 : 0);
		EmbeddedChannel channel = new EmbeddedChannel(HAProxyMessageEncoder.INSTANCE);
		channel.writeOutbound(message);
		ByteBuf encoded = channel.readOutbound();
		try {
			return ByteBufUtil.getBytes(encoded);
		}
		finally {
			encoded.release();
			channel.finishAndReleaseAll();
		}
	}

}
