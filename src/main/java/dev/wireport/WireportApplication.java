package dev.wireport;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import dev.wireport.cli.Cli;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * wireport: acknowledges every TCP message, UDP datagram and HTTP request it is sent.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class WireportApplication {

	/**
	 * Runs the service, or with a command as first argument, one of the clients.
	 * @param args {@code <command> [options]} or the service's {@code --name=value}
	 * properties
	 */
	public static void main(String[] args) {
		if (Cli.isCommand(args)) {
			PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
			PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
			System.exit(Cli.run(args, System.in, out, err));
		}
		SpringApplication.run(WireportApplication.class, args);
	}

}
