package dev.wireport.deploy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged jar restarted under load: SIGTERM while clients send, then the jar again
 * on the same ports while the clients reconnect. Every message sent before the SIGTERM is
 * answered; the drain figures and the time without service are printed.
 */
class RestartUnderLoadIT {

	private static final int CLIENTS = 4;

	private final ServiceChecks checks = new ServiceChecks("127.0.0.1");

	private final AtomicBoolean stop = new AtomicBoolean();

	/** When SIGTERM was sent, {@code Long.MAX_VALUE} before. */
	private final AtomicLong sigterm = new AtomicLong(Long.MAX_VALUE);

	/** When the first process had exited, {@code Long.MAX_VALUE} before. */
	private final AtomicLong exited = new AtomicLong(Long.MAX_VALUE);

	@Test
	void clientsReconnectAcrossARestartAndEveryMessageSentBeforeSigtermIsAnswered() throws Exception {
		int httpPort = PackagedJar.freePort();
		int managementPort = PackagedJar.freePort();
		PackagedJar first = PackagedJar.start(
				List.of("--server.port=" + httpPort, "--management.server.port=" + managementPort,
						"--wireport.tcp.listeners.seed.port=0", "--wireport.tcp.listeners.framed.port=0",
						"--wireport.udp.listeners.seed.port=0", "--wireport.tcp.listeners.framed.log-level=off"),
				Map.of());
		PackagedJar second = null;
		ExecutorService threads = Executors.newFixedThreadPool(CLIENTS);
		try {
			int framed = first.tcpPort("framed");
			await().atMost(Duration.ofSeconds(30)).until(() -> this.checks.ready(httpPort));
			List<Client> clients = new ArrayList<>();
			List<Future<?>> running = new ArrayList<>();
			for (int i = 0; i < CLIENTS; i++) {
				Client client = new Client(framed);
				clients.add(client);
				running.add(threads.submit(client));
			}
			await().atMost(Duration.ofSeconds(30)).until(() -> answered(clients) >= 2000);

			this.sigterm.set(System.nanoTime());
			first.process().destroy();
			assertThat(first.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
			this.exited.set(System.nanoTime());
			assertThat(first.process().exitValue()).as(first.log()).isIn(0, 143);
			long answeredAtExit = answered(clients);

			second = PackagedJar
				.start(List.of("--server.port=" + httpPort, "--management.server.port=" + managementPort,
						"--wireport.tcp.listeners.seed.port=" + first.tcpPort("seed"),
						"--wireport.tcp.listeners.framed.port=" + framed,
						"--wireport.udp.listeners.seed.port=" + first.udpPort("seed"),
						"--wireport.tcp.listeners.framed.log-level=off"), Map.of());
			assertThat(second.tcpPort("framed")).as(second.log()).isEqualTo(framed);
			await().atMost(Duration.ofSeconds(30)).until(() -> answered(clients) >= answeredAtExit + 500);
			this.stop.set(true);
			for (Future<?> client : running) {
				client.get(30, TimeUnit.SECONDS);
			}

			long sentBefore = clients.stream().mapToLong((client) -> client.sentBeforeSigterm).sum();
			long answeredBefore = clients.stream().mapToLong((client) -> client.answeredSentBeforeSigterm).sum();
			long unanswered = clients.stream().mapToLong((client) -> client.unanswered).sum();
			long firstAnswer = clients.stream()
				.mapToLong((client) -> client.firstAnswerAfterRestart)
				.min()
				.orElseThrow();
			System.out.printf("restart under load: %d clients; sent before SIGTERM %d, answered %d; sent after "
					+ "SIGTERM and closed unanswered %d (the drain had stopped reading); old process exited %d ms "
					+ "after SIGTERM; first answer from the new one %d ms after SIGTERM; %d answered in all%n", CLIENTS,
					sentBefore, answeredBefore, unanswered,
					Duration.ofNanos(this.exited.get() - this.sigterm.get()).toMillis(),
					Duration.ofNanos(firstAnswer - this.sigterm.get()).toMillis(), answered(clients));
			assertThat(answeredBefore).as("messages sent before SIGTERM, answered").isEqualTo(sentBefore);
			assertThat(clients).allMatch((client) -> client.unansweredBeforeSigterm == 0);
		}
		finally {
			this.stop.set(true);
			threads.shutdownNow();
			first.stop();
			if (second != null) {
				second.stop();
			}
		}
	}

	private static long answered(List<Client> clients) {
		return clients.stream().mapToLong((client) -> client.answered).sum();
	}

	/**
	 * Sends one message at a time and waits for its reply; when the connection ends
	 * without one, counts the message unanswered and connects again (every 20 ms, until
	 * stopped or 3 minutes are up: two start-ups on a busy machine).
	 */
	private final class Client implements Runnable {

		private final int port;

		volatile long answered;

		volatile long sentBeforeSigterm;

		volatile long answeredSentBeforeSigterm;

		volatile long unanswered;

		volatile long unansweredBeforeSigterm;

		volatile long firstAnswerAfterRestart = Long.MAX_VALUE;

		Client(int port) {
			this.port = port;
		}

		@Override
		public void run() {
			long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
			while (!RestartUnderLoadIT.this.stop.get() && System.nanoTime() < end) {
				// Refused while no service listens: tried again until one does.
				Socket connected = await().atMost(Duration.ofMinutes(1))
					.pollInterval(Duration.ofMillis(20))
					.until(this::connect, (socket) -> socket != null || RestartUnderLoadIT.this.stop.get());
				if (connected == null) {
					return;
				}
				try (Socket socket = connected) {
					converse(socket);
				}
				catch (IOException ex) {
					// The service went away in the middle of the conversation: connect
					// again.
				}
			}
		}

		private Socket connect() {
			try {
				return RestartUnderLoadIT.this.checks.socket(this.port);
			}
			catch (IOException ex) {
				return null;
			}
		}

		private void converse(Socket socket) throws IOException {
			OutputStream out = socket.getOutputStream();
			BufferedReader in = new BufferedReader(
					new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
			while (!RestartUnderLoadIT.this.stop.get()) {
				long sent = System.nanoTime();
				boolean beforeSigterm = sent < RestartUnderLoadIT.this.sigterm.get();
				if (beforeSigterm) {
					this.sentBeforeSigterm++;
				}
				String reply;
				try {
					out.write("load\n".getBytes(StandardCharsets.UTF_8));
					reply = in.readLine();
				}
				catch (IOException ex) {
					reply = null;
				}
				if (reply == null) {
					this.unanswered++;
					if (beforeSigterm) {
						this.unansweredBeforeSigterm++;
					}
					return;
				}
				assertThat(reply).isEqualTo(ServiceChecks.TCP_ACK);
				this.answered++;
				if (beforeSigterm) {
					this.answeredSentBeforeSigterm++;
				}
				else if (this.firstAnswerAfterRestart == Long.MAX_VALUE
						&& sent > RestartUnderLoadIT.this.exited.get()) {
					this.firstAnswerAfterRestart = System.nanoTime();
				}
			}
		}

	}

}
