package dev.wireport;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * wireport: acknowledges every TCP message, UDP datagram and HTTP request it is sent.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class WireportApplication {

	public static void main(String[] args) {
		SpringApplication.run(WireportApplication.class, args);
	}

}
