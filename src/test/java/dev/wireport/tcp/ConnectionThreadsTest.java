package dev.wireport.tcp;

import java.nio.charset.StandardCharsets;

import dev.wireport.WireportApplication;
import dev.wireport.framing.Framing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * {@code wireport.tcp.connection-threads} decides what kind of thread serves a
 * connection; the service answers the same either way.
 */
@ExtendWith(OutputCaptureExtension.class)
class ConnectionThreadsTest {

	private static final String[] EPHEMERAL = { "--wireport.tcp.listeners[0].port=0",
			"--wireport.tcp.listeners[1].port=0", "--wireport.udp.listeners[0].enabled=false" };

	@Test
	void byDefaultAConnectionHasAPlatformThreadOfItsOwn() throws Exception {
		assertThat(connectionThreadWhileServing()).isTrue();
	}

	@Test
	@EnabledForJreRange(min = JRE.JAVA_21)
	void virtualThreadsServeConnectionsOnJava21AndNewer() throws Exception {
		assertThat(connectionThreadWhileServing("--wireport.tcp.connection-threads=virtual")).isFalse();
	}

	@Test
	@EnabledForJreRange(max = JRE.JAVA_20)
	void virtualThreadsBeforeJava21FailStartUpNamingTheProperty(CapturedOutput output) {
		assertThatException().isThrownBy(() -> start("--wireport.tcp.connection-threads=virtual").close());
		assertThat(output).contains("wireport.tcp.connection-threads").contains("need Java 21 or newer");
	}

	/**
	 * Whether, while a connection is being served, a platform thread named for its
	 * listener is alive (the JDK lists platform threads only).
	 */
	private static boolean connectionThreadWhileServing(String... arguments) throws Exception {
		try (ConfigurableApplicationContext context = start(arguments);
				WireClient client = new WireClient(context.getBean(TcpListeners.class).port("framed"))) {
			client.write("probe\n");
			assertThat(client.receive(Framing.LF.codec(1024))).asString(StandardCharsets.UTF_8)
				.isEqualTo(TcpProperties.SEED_ACK);
			return Thread.getAllStackTraces().keySet().stream().anyMatch((t) -> t.getName().startsWith("tcp-framed-"));
		}
	}

	private static ConfigurableApplicationContext start(String... arguments) {
		String[] all = new String[EPHEMERAL.length + arguments.length];
		System.arraycopy(EPHEMERAL, 0, all, 0, EPHEMERAL.length);
		System.arraycopy(arguments, 0, all, EPHEMERAL.length, arguments.length);
		return new SpringApplicationBuilder(WireportApplication.class).web(WebApplicationType.NONE).run(all);
	}

}
