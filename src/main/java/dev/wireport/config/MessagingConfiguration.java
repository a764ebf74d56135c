package dev.wireport.config;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.IdGenerator;

/**
 * Message plumbing shared by every flow.
 */
@Configuration(proxyBeanMethods = false)
class MessagingConfiguration {

	/**
	 * Every message, and every copy a flow makes of it, gets an id. Spring's default
	 * generator draws random bits from one shared generator, and Spring Integration's
	 * incrementing one increments one shared counter: either way every event loop thread
	 * writes the same memory for every message, which profiling showed as the largest
	 * single cost per TCP message under load. This one draws 128 random bits from the
	 * calling thread's own generator: nothing shared, and as unlikely to repeat as a
	 * random UUID. Spring Integration installs this bean as the id generator of all
	 * message headers.
	 * @return the id generator
	 */
	@Bean
	IdGenerator messageIdGenerator() {
		return () -> {
			ThreadLocalRandom random = ThreadLocalRandom.current();
			return new UUID(random.nextLong(), random.nextLong());
		};
	}

}
