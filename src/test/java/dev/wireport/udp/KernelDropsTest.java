package dev.wireport.udp;

import java.io.IOException;
import java.lang.ref.Reference;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The kernel's drop count for a real socket whose receive buffer a burst overflows.
 */
@EnabledOnOs(OS.LINUX)
class KernelDropsTest {

	@Test
	void everyDatagramSentIsEitherQueuedForTheSocketOrCountedAsDropped() throws IOException {
		try (DatagramChannel listener = DatagramChannel.open(); DatagramChannel sender = DatagramChannel.open()) {
			listener.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
			listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
			KernelDrops drops = KernelDrops.forLocalPort(listener.socket().getLocalPort()).orElseThrow();
			assertThat(drops.count()).isZero();

			// Nobody reads: far more than a 4 KiB buffer holds.
			int sent = 2000;
			for (int i = 0; i < sent; i++) {
				sender.send(ByteBuffer.wrap(new byte[64]), listener.getLocalAddress());
			}
			listener.configureBlocking(false);
			int queued = 0;
			while (listener.receive(ByteBuffer.allocate(64)) != null) {
				queued++;
			}

			assertThat(queued).isPositive();
			assertThat(drops.count()).isPositive().isEqualTo(sent - queued);
		}
	}

	@Test
	void theListenersMeterKeepsCountingAfterAGarbageCollection() throws IOException {
		MeterRegistry registry = new SimpleMeterRegistry();
		try (DatagramChannel listener = DatagramChannel.open(); DatagramChannel sender = DatagramChannel.open()) {
			listener.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
			listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
			UdpListenerMetrics metrics = new UdpListenerMetrics("t", registry);
			// Only the metrics hold the reader from here on.
			metrics.registerKernelDrops(KernelDrops.forLocalPort(listener.socket().getLocalPort()).orElseThrow(),
					registry);
			System.gc();
			for (int i = 0; i < 2000; i++) {
				sender.send(ByteBuffer.wrap(new byte[64]), listener.getLocalAddress());
			}

			assertThat(registry.get("wireport.udp.datagrams.overflowed").tag("listener", "t").functionCounter().count())
				.isPositive();
			// The listener, and with it its metrics, is still running.
			Reference.reachabilityFence(metrics);
		}
	}

	@Test
	void aPortThisProcessHasNotBoundHasNoCount() throws IOException {
		int port;
		try (DatagramChannel closed = DatagramChannel.open()) {
			closed.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
			port = closed.socket().getLocalPort();
		}
		assertThat(KernelDrops.forLocalPort(port)).isEmpty();
	}

}
