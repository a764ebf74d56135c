package dev.wireport.observability;

import java.time.Duration;

import dev.wireport.WireportApplication;
import dev.wireport.tcp.TcpListeners;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code wireport.listener.up} follows each listener's health: 1 while it accepts, 0 once
 * it has stopped accepting, while the process still runs.
 */
class ListenerUpMetricsTest {

	@Test
	void eachListenerIsUpWhileItAcceptsAndDownOnceItStops() {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(WireportApplication.class)
			.web(WebApplicationType.NONE)
			.run("--wireport.tcp.listeners.seed.port=0", "--wireport.tcp.listeners.framed.port=0",
					"--wireport.udp.listeners.seed.port=0", "--wireport.tcp.listeners.extra.port=0",
					"--wireport.tcp.listeners.extra.framing=lf")) {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(up(registry, "tcp", "seed")).isOne();
			assertThat(up(registry, "tcp", "extra")).isOne();
			assertThat(up(registry, "udp", "seed")).isOne();

			context.getBean(TcpListeners.class).stop();

			await().atMost(Duration.ofSeconds(10)).until(() -> up(registry, "tcp", "extra") == 0);
			assertThat(up(registry, "tcp", "seed")).isZero();
			assertThat(up(registry, "udp", "seed")).isOne();
		}
	}

	private static double up(MeterRegistry registry, String protocol, String listener) {
		return registry.get("wireport.listener.up").tag("protocol", protocol).tag("listener", listener).gauge().value();
	}

}
