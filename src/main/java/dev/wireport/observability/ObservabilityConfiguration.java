package dev.wireport.observability;

import dev.wireport.listener.ListenerGroup;
import dev.wireport.tcp.TcpListeners;
import dev.wireport.tcp.TcpProperties;
import dev.wireport.udp.UdpListeners;
import dev.wireport.udp.UdpProperties;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.config.IntegrationManagementConfigurer;

/**
 * Health and metrics set-up shared by every feature.
 */
@Configuration(proxyBeanMethods = false)
class ObservabilityConfiguration {

	@Bean
	static PrometheusLintFilter prometheusLintFilter() {
		return new PrometheusLintFilter();
	}

	/**
	 * The {@code tcp} health component, one child per listener, in the readiness group.
	 * @param listeners the TCP listeners
	 * @return the component
	 */
	@Bean
	CompositeHealthContributor tcpHealthContributor(TcpListeners listeners) {
		return listeners.healthContributor();
	}

	/**
	 * The {@code udp} health component, one child per listener, in the readiness group.
	 * @param listeners the UDP listeners
	 * @return the component
	 */
	@Bean
	CompositeHealthContributor udpHealthContributor(UdpListeners listeners) {
		return listeners.healthContributor();
	}

	/**
	 * {@code wireport.listener.up}: 1 while a listener's health is up (bound and
	 * accepting, or being read), 0 otherwise, per protocol and listener. Readiness itself
	 * is not scraped, so without this gauge an alert could see a listener only through
	 * its traffic, and an idle listener that stopped accepting would look like a quiet
	 * one.
	 * @param tcp the TCP listeners' configuration
	 * @param tcpListeners the TCP listeners
	 * @param udp the UDP listeners' configuration
	 * @param udpListeners the UDP listeners
	 * @return the binder of one gauge per listener
	 */
	@Bean
	MeterBinder listenerUpMetrics(TcpProperties tcp, TcpListeners tcpListeners, UdpProperties udp,
			UdpListeners udpListeners) {
		return (registry) -> {
			tcp.listenerSettings().forEach((settings) -> registerUp(registry, "tcp", settings.name(), tcpListeners));
			udp.listenerSettings().forEach((settings) -> registerUp(registry, "udp", settings.name(), udpListeners));
		};
	}

	private static void registerUp(MeterRegistry registry, String protocol, String name, ListenerGroup<?> group) {
		Gauge.builder("wireport.listener.up", () -> Status.UP.equals(group.health(name).getStatus()) ? 1 : 0)
			.description("1 while the listener is bound and accepting (TCP) or being read (UDP), 0 otherwise")
			.tag("protocol", protocol)
			.tag("listener", name)
			.register(registry);
	}

	/**
	 * Spring Integration's management, configured here so that Spring Boot's backs off:
	 * no metrics capture and no debug-logging checks in the message path. Spring
	 * Integration would time every channel send and handler call of every flow, a clock
	 * read and a meter lookup per step of every message, about 15 % of the pipelined TCP
	 * profile (docs/performance.md), where the TCP and UDP meters already count each
	 * message once; and each step would ask the logging system whether debug is on.
	 * @return the configurer
	 */
	@Bean(IntegrationManagementConfigurer.MANAGEMENT_CONFIGURER_NAME)
	static IntegrationManagementConfigurer integrationManagementConfigurer() {
		IntegrationManagementConfigurer configurer = new IntegrationManagementConfigurer();
		configurer.setDefaultLoggingEnabled(false);
		return configurer;
	}

}
