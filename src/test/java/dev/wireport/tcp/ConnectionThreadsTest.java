package dev.wireport.tcp;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

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
 * {@code wireport.tcp.connection-threads} decides what threads serve the connections; the
 * service answers the same either way.
 */
@ExtendWith(OutputCaptureExtension.class)
class ConnectionThreadsTest {

	private static final String[] EPHEMERAL = { "--wireport.tcp.listeners.seed.port=0",
			"--wireport.tcp.listeners.framed.enabled=false", "--wireport.udp.listeners.seed.enabled=false" };

	@Test
	void byDefaultEventLoopsServeTheConnectionsWithoutAThreadEach() throws Exception {
		List<String> threads = listenerThreadsWhileServing("loops");
		assertThat(threads).anyMatch((name) -> name.matches("tcp-loops-loop-\\d+"));
		assertThat(threads).noneMatch(ConnectionThreadsTest::isConnectionThread);
	}

	@Test
	void platformThreadsGiveEachConnectionAThreadOfItsOwn() throws Exception {
		assertThat(listenerThreadsWhileServing("platform", "--wireport.tcp.connection-threads=platform"))
			.anyMatch(ConnectionThreadsTest::isConnectionThread);
	}

	@Test
	@EnabledForJreRange(min = JRE.JAVA_21)
	void virtualThreadsServeConnectionsOnJava21AndNewer() throws Exception {
		// The JDK lists platform threads only.
		assertThat(listenerThreadsWhileServing("virtual", "--wireport.tcp.connection-threads=virtual"))
			.noneMatch(ConnectionThreadsTest::isConnectionThread);
	}

	@Test
	@EnabledForJreRange(max = JRE.JAVA_20)
	void virtualThreadsBeforeJava21FailStartUpNamingTheProperty(CapturedOutput output) {
		assertThatException().isThrownBy(() -> start("--wireport.tcp.connection-threads=virtual").close());
		assertThat(output).contains("wireport.tcp.connection-threads").contains("need Java 21 or newer");
	}

	/** A platform thread serving one connection, named for its listener and numbered. */
	private static boolean isConnectionThread(String name) {
		return name.matches("tcp-[a-z]+-\\d+");
	}

	/**
	 * The platform threads named for a listener while one of its connections is being
	 * served. Each test names its listener differently: the threads of an earlier test's
	 * connections may still be ending.
	 */
	private static List<String> listenerThreadsWhileServing(String listener, String... arguments) throws Exception {
		String[] named = Arrays.copyOf(arguments, arguments.length + 2);
		named[arguments.length] = "--wireport.tcp.listeners." + listener + ".port=0";
		named[arguments.length + 1] = "--wireport.tcp.listeners." + listener + ".framing=lf";
		try (ConfigurableApplicationContext context = start(named);
				WireClient client = new WireClient(context.getBean(TcpListeners.class).port(listener))) {
			client.write("probe\n");
			assertThat(client.receive(Framing.LF.codec(1024))).asString(StandardCharsets.UTF_8)
				.isEqualTo(TcpProperties.SEED_ACK);
			return Thread.getAllStackTraces()
				.keySet()
				.stream()
				.map(Thread::getName)
				.filter((name) -> name.startsWith("tcp-" + listener + "-"))
				.toList();
		}
	}

	private static ConfigurableApplicationContext start(String... arguments) {
		String[] all = new String[EPHEMERAL.length + arguments.length];
		System.arraycopy(EPHEMERAL, 0, all, 0, EPHEMERAL.length);
		System.arraycopy(arguments, 0, all, EPHEMERAL.length, arguments.length);
		return new SpringApplicationBuilder(WireportApplication.class).web(WebApplicationType.NONE).run(all);
	}

}
