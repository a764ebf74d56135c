package dev.wireport.config;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.support.IdGenerators;
import org.springframework.util.IdGenerator;

/**
 * Message plumbing shared by every flow.
 */
@Configuration(proxyBeanMethods = false)
class MessagingConfiguration {

	/**
	 * Every message, and every copy a flow makes of it, gets an id. The default generator
	 * draws random bits from one shared generator, which profiling showed as the largest
	 * single cost per TCP message under load; ids only need to be unique within this
	 * process, which an incrementing counter guarantees. Spring Integration installs this
	 * bean as the id generator of all message headers.
	 * @return the id generator
	 */
	@Bean
	IdGenerator messageIdGenerator() {
		return new IdGenerators.SimpleIncrementingIdGenerator();
	}

}
