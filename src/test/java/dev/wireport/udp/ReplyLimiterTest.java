package dev.wireport.udp;

import java.net.InetAddress;
import java.net.UnknownHostException;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ReplyLimiterTest {

	private static final long SECOND = 1_000_000_000L;

	@Test
	void aSourceGetsItsBurstThenItsRate() throws UnknownHostException {
		ReplyLimiter limiter = new ReplyLimiter(10, 5, 100);
		InetAddress source = InetAddress.getByName("192.0.2.1");

		int answered = 0;
		for (int i = 0; i < 20; i++) {
			answered += limiter.tryAcquire(source, 0) ? 1 : 0;
		}
		assertThat(answered).isEqualTo(5);
		assertThat(limiter.tryAcquire(source, SECOND / 10)).isTrue();
		assertThat(limiter.tryAcquire(source, SECOND / 10)).isFalse();
	}

	@Test
	void sourcesAreLimitedSeparately() throws UnknownHostException {
		ReplyLimiter limiter = new ReplyLimiter(1, 1, 100);

		assertThat(limiter.tryAcquire(InetAddress.getByName("192.0.2.1"), 0)).isTrue();
		assertThat(limiter.tryAcquire(InetAddress.getByName("192.0.2.1"), 0)).isFalse();
		assertThat(limiter.tryAcquire(InetAddress.getByName("192.0.2.2"), 0)).isTrue();
	}

	@Test
	void aFullTableDropsQuietSourcesAndFailsClosedWhenAllAreBusy() throws UnknownHostException {
		ReplyLimiter limiter = new ReplyLimiter(1, 2, 2);
		InetAddress first = InetAddress.getByName("192.0.2.1");
		InetAddress second = InetAddress.getByName("192.0.2.2");
		InetAddress third = InetAddress.getByName("192.0.2.3");
		limiter.tryAcquire(first, 0);
		limiter.tryAcquire(second, 0);

		assertThat(limiter.tryAcquire(third, 0)).as("no bucket has refilled yet").isFalse();
		assertThat(limiter.trackedSources()).isEqualTo(2);

		assertThat(limiter.tryAcquire(third, 2 * SECOND)).as("quiet sources are dropped").isTrue();
		assertThat(limiter.trackedSources()).isEqualTo(1);
	}

}
