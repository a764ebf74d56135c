package dev.wireport.udp;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code udp} health component, with one child per listener, part of the readiness
 * group.
 */
@Configuration(proxyBeanMethods = false)
class UdpHealthConfiguration {

	@Bean
	CompositeHealthContributor udpHealthContributor(UdpProperties properties, UdpListeners listeners) {
		Map<String, String> names = new LinkedHashMap<>();
		properties.listenerSettings().forEach((settings) -> names.put(settings.name(), settings.name()));
		return CompositeHealthContributor.fromMap(names, (name) -> (HealthIndicator) () -> listeners.health(name));
	}

}
