package dev.wireport.udp;

import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Limits replies per source address with a token bucket each, because a UDP source can be
 * forged: without a limit, datagrams sent in a victim's name would make wireport flood
 * the victim with acknowledgements.
 *
 * <p>
 * Memory is bounded: at most {@code maxSources} buckets are kept. When the table is full,
 * buckets that have refilled completely (their source has been quiet long enough that a
 * fresh bucket would be the same) are dropped; if none can be dropped, a new source gets
 * no reply until room is made, so a flood of forged sources fails closed.
 */
final class ReplyLimiter {

	private final double tokensPerNano;

	private final double burst;

	private final int maxSources;

	private final Map<InetAddress, Bucket> buckets = new ConcurrentHashMap<>();

	ReplyLimiter(double repliesPerSecond, int burst, int maxSources) {
		this.tokensPerNano = repliesPerSecond / 1e9;
		this.burst = burst;
		this.maxSources = maxSources;
	}

	/**
	 * Takes one reply from the source's allowance.
	 * @param source the datagram's source address
	 * @param now the current {@link System#nanoTime()}
	 * @return whether the source may be answered
	 */
	boolean tryAcquire(InetAddress source, long now) {
		Bucket bucket = this.buckets.get(source);
		if (bucket == null) {
			if (this.buckets.size() >= this.maxSources && !evictRefilled(now)) {
				return false;
			}
			bucket = this.buckets.computeIfAbsent(source, (address) -> new Bucket(this.burst, now));
		}
		return bucket.tryTake(now, this.tokensPerNano, this.burst);
	}

	private boolean evictRefilled(long now) {
		this.buckets.values().removeIf((bucket) -> bucket.isFull(now, this.tokensPerNano, this.burst));
		return this.buckets.size() < this.maxSources;
	}

	int trackedSources() {
		return this.buckets.size();
	}

	private static final class Bucket {

		private double tokens;

		private long updatedAt;

		Bucket(double tokens, long now) {
			this.tokens = tokens;
			this.updatedAt = now;
		}

		synchronized boolean tryTake(long now, double tokensPerNano, double burst) {
			refill(now, tokensPerNano, burst);
			if (this.tokens < 1) {
				return false;
			}
			this.tokens -= 1;
			return true;
		}

		synchronized boolean isFull(long now, double tokensPerNano, double burst) {
			refill(now, tokensPerNano, burst);
			return this.tokens >= burst;
		}

		private void refill(long now, double tokensPerNano, double burst) {
			if (now > this.updatedAt) {
				this.tokens = Math.min(burst, this.tokens + (now - this.updatedAt) * tokensPerNano);
				this.updatedAt = now;
			}
		}

	}

}
