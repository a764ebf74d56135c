package dev.wireport.tcp;

import java.io.IOException;

import dev.wireport.framing.FrameCodec;
import dev.wireport.framing.Framing;
import dev.wireport.netns.HealthyLoad;
import org.jspecify.annotations.Nullable;

/**
 * Well-behaved TCP clients that load a listener of {@code lf} framing while a test makes
 * a fault: each on a connection of its own, one message at a time (2,000,000 at most).
 */
final class HealthyClients {

	private static final FrameCodec LF = Framing.LF.codec(1024);

	private static final int MAX_MESSAGES = 2_000_000;

	private HealthyClients() {
	}

	/**
	 * Starts the clients.
	 * @param port the listener's port
	 * @param clients how many
	 * @param ack the listener's acknowledgement, or {@code null} if it echoes
	 * @return the running clients
	 */
	static HealthyLoad start(int port, int clients, byte @Nullable [] ack) {
		return new HealthyLoad("healthy clients", clients, MAX_MESSAGES, (client) -> {
			WireClient wire = new WireClient(port);
			return new HealthyLoad.Peer() {

				@Override
				public byte[] ask(byte[] request) throws IOException {
					wire.send(LF, request);
					return wire.receive(LF);
				}

				@Override
				public void close() throws IOException {
					wire.close();
				}

			};
		}, ack);
	}

}
