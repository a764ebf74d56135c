package dev.wireport.tcp;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code tcp} health component, with one child per listener, part of the readiness
 * group: a pod whose listeners do not accept connections takes no traffic.
 */
@Configuration(proxyBeanMethods = false)
class TcpHealthConfiguration {

	@Bean
	CompositeHealthContributor tcpHealthContributor(TcpProperties properties, TcpListeners listeners) {
		Map<String, String> names = new LinkedHashMap<>();
		properties.listenerSettings().forEach((settings) -> names.put(settings.name(), settings.name()));
		return CompositeHealthContributor.fromMap(names, (name) -> (HealthIndicator) () -> listeners.health(name));
	}

}
