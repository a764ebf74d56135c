package dev.wireport.cli;

/**
 * Latencies in nanoseconds, in log-linear buckets: 32 buckets per power of two, so a
 * percentile is exact to within about 3 %, in fixed memory however many are recorded. Not
 * thread-safe: each connection records into its own and they are merged at the end.
 */
final class LatencyHistogram {

	private static final int SUB_BUCKET_BITS = 5;

	private static final int SUB_BUCKETS = 1 << SUB_BUCKET_BITS;

	private final long[] counts = new long[64 * SUB_BUCKETS];

	private long total;

	private long max;

	void record(long nanos) {
		long value = Math.max(1, nanos);
		this.counts[index(value)]++;
		this.total++;
		this.max = Math.max(this.max, value);
	}

	private static int index(long value) {
		int exponent = 63 - Long.numberOfLeadingZeros(value);
		if (exponent < SUB_BUCKET_BITS) {
			return (int) value;
		}
		int subBucket = (int) (value >>> (exponent - SUB_BUCKET_BITS)) & (SUB_BUCKETS - 1);
		return (exponent - SUB_BUCKET_BITS + 1) * SUB_BUCKETS + subBucket;
	}

	/** The smallest value that falls into bucket {@code index}. */
	private static long lowest(int index) {
		if (index < SUB_BUCKETS) {
			return index;
		}
		int exponent = index / SUB_BUCKETS + SUB_BUCKET_BITS - 1;
		long subBucket = index % SUB_BUCKETS;
		return (1L << exponent) | (subBucket << (exponent - SUB_BUCKET_BITS));
	}

	void add(LatencyHistogram other) {
		for (int i = 0; i < this.counts.length; i++) {
			this.counts[i] += other.counts[i];
		}
		this.total += other.total;
		this.max = Math.max(this.max, other.max);
	}

	long count() {
		return this.total;
	}

	long max() {
		return this.max;
	}

	/**
	 * The value below which {@code percent} of the recordings fall (the bucket's middle).
	 * @param percent e.g. 99.9
	 * @return the latency in nanoseconds, 0 when nothing was recorded
	 */
	long percentile(double percent) {
		long rank = (long) Math.ceil(this.total * percent / 100.0);
		long seen = 0;
		for (int i = 0; i < this.counts.length; i++) {
			seen += this.counts[i];
			if (seen >= rank && this.counts[i] > 0) {
				long low = lowest(i);
				long high = (i + 1 < this.counts.length) ? lowest(i + 1) : low;
				return Math.min(this.max, low + (high - low) / 2);
			}
		}
		return 0;
	}

}
