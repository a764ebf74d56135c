package dev.wireport.observability;

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

}
