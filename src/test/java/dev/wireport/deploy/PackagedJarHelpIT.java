package dev.wireport.deploy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code java -jar target/wireport.jar --help} prints the overview and exits, starting
 * nothing.
 */
class PackagedJarHelpIT {

	@ParameterizedTest
	@ValueSource(strings = { "--help", "-h" })
	void helpPrintsTheOverviewAndExits(String option) throws Exception {
		Path jar = Path.of("target", "wireport.jar");
		assertThat(jar).as("the packaged jar (mvn package)").exists();
		Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
				jar.toString(), option)
			.redirectErrorStream(true)
			.start();
		process.getOutputStream().close();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

		assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(process.exitValue()).as(output).isZero();
		assertThat(output).startsWith("usage: java -jar wireport.jar [--<property>=<value> ...]   runs the service\n")
			.contains("  TCP listener seed     port 9000  framing chunk  reply ack\n",
					"  TCP listener framed   port 9080  framing lf     reply ack\n",
					"  UDP listener seed     port 8090", "  HTTP                  port 8080",
					"WIREPORT_TCP_LISTENERS_SEED_PORT=9001", "Commands (each takes --help):\n", "  bench ")
			// Nothing of Spring Boot started: no log line, no server.
			.doesNotContain("WireportApplication", "Tomcat", "INFO");
	}

}
