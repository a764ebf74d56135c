package dev.wireport.deploy;

import java.nio.file.Path;
import java.time.Duration;

import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

import static org.awaitility.Awaitility.await;

/**
 * Builds the image from the repository's Dockerfile and checks the running container from
 * outside. Skipped where no Docker engine runs; {@link PackagedJarIT} makes the same
 * checks on the jar without Docker.
 */
@Testcontainers(disabledWithoutDocker = true)
class ContainerImageIT {

	private static final ExposedPort UDP = ExposedPort.udp(8090);

	@Container
	private static final GenericContainer<?> wireport = new GenericContainer<>(
			new ImageFromDockerfile("wireport-test", false).withFileFromPath(".", Path.of(".")))
		.withExposedPorts(8080, 9000, 9080)
		// Testcontainers maps TCP ports only; the UDP port gets a random host port here.
		.withCreateContainerCmdModifier(
				(command) -> command.getHostConfig().withPortBindings(new PortBinding(Ports.Binding.empty(), UDP)))
		.withEnv("WIREPORT_UDP_LISTENERS_SEED_REPLY_RATE", "1000")
		.waitingFor(Wait.forHttp("/readyz").forPort(8080).withStartupTimeout(Duration.ofMinutes(10)));

	@Test
	void answersOnEveryProtocolOnceReady() throws Exception {
		ServiceChecks checks = new ServiceChecks(wireport.getHost());
		await().atMost(Duration.ofSeconds(30)).until(() -> checks.ready(wireport.getMappedPort(8080)));

		checks.tcpAcks(wireport.getMappedPort(9000), wireport.getMappedPort(9080));
		checks.udpAck(
				Integer.parseInt(wireport.getContainerInfo().getNetworkSettings().getPorts().getBindings().get(UDP)[0]
					.getHostPortSpec()));
		checks.helloWorld(wireport.getMappedPort(8080));
	}

}
