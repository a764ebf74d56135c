package dev.wireport.observability;

import io.micrometer.core.instrument.config.MeterFilter;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Metrics set-up shared by every feature.
 */
@Configuration(proxyBeanMethods = false)
class ObservabilityConfiguration {

	@Bean
	static PrometheusLintFilter prometheusLintFilter() {
		return new PrometheusLintFilter();
	}

	/**
	 * Spring Integration would time every channel send and handler call of every flow;
	 * the TCP and UDP meters already count each message once, so these are left out.
	 * @return the filter
	 */
	@Bean
	static MeterFilter integrationMetersLeftOut() {
		return MeterFilter.denyNameStartsWith("spring.integration.");
	}

}
