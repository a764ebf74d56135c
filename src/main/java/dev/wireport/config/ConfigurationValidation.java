package dev.wireport.config;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;

/**
 * Validation of the configuration properties beyond each object's own constraints.
 */
@Configuration(proxyBeanMethods = false)
class ConfigurationValidation {

	/**
	 * Spring Boot applies the bean of this name to every configuration properties object
	 * it binds, beside the Jakarta constraints. Static and infrastructure, because it
	 * must exist before any configuration properties are bound, before the
	 * post-processors that would process it.
	 * @param context the application context, for the HTTP ports
	 * @return the validator
	 */
	@Bean(EnableConfigurationProperties.VALIDATOR_BEAN_NAME)
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static NamedListenersValidator configurationPropertiesValidator(ApplicationContext context) {
		return new NamedListenersValidator(context);
	}

}
