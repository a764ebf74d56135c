package dev.wireport.payload;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * This instance's identity, resolved once for the listeners and {@code /go}.
 */
@Configuration(proxyBeanMethods = false)
class InstanceConfiguration {

	@Bean
	Instance instance(Environment environment) {
		return Instance.of(environment);
	}

}
