package dev.wireport.observability;

import dev.wireport.tcp.TcpListeners;
import dev.wireport.udp.UdpListeners;

import org.springframework.boot.health.contributor.CompositeHealthContributor;
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
