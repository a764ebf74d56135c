package dev.wireport.netns;

import org.HdrHistogram.Histogram;

/**
 * What healthy clients saw while a test made a fault: how many of their requests were
 * answered, how many wrongly, and how long each waited.
 *
 * @param answered requests answered
 * @param wrong answers that were not the expected ones
 * @param latencies each answered request's round trip, in nanoseconds
 */
public record Answers(int answered, int wrong, Histogram latencies) {

	public static Answers none() {
		return new Answers(0, 0, new Histogram(3));
	}

	public Answers plus(Answers other) {
		Histogram all = this.latencies.copy();
		all.add(other.latencies);
		return new Answers(this.answered + other.answered, this.wrong + other.wrong, all);
	}

	@Override
	public String toString() {
		return this.answered + " answered, " + this.wrong + " wrong, p99 "
				+ this.latencies.getValueAtPercentile(99) / 1000 + " µs, longest wait "
				+ this.latencies.getMaxValue() / 1000 + " µs";
	}

}
