package dev.finetune4j.data;

import java.util.Arrays;
import java.util.TreeMap;

/**
 * Exact distribution of non-negative integers (tokens or messages per example) kept as counts per value, so its
 * memory depends on the largest value, not on the number of examples. Values below {@value #CAP} have a slot each;
 * the rare larger ones (an example of a million tokens) are kept in a sorted map, so every statistic stays exact.
 */
public final class IntDistribution {
    static final int CAP = 1 << 20;
    private long[] counts = new long[64];
    /** Counts of the values from {@value #CAP} up. */
    private final TreeMap<Long, Long> large = new TreeMap<>();
    private long n;
    private long sum;
    private long min = Long.MAX_VALUE;
    private long max = Long.MIN_VALUE;

    /** Adds one value; negative values count as 0. */
    public void add(long value) {
        long v = Math.max(0, value);
        if (v >= CAP) {
            large.merge(v, 1L, Long::sum);
        } else {
            int slot = (int) v;
            if (slot >= counts.length) {
                counts = Arrays.copyOf(counts, Math.min(CAP, Math.max(slot + 1, counts.length * 2)));
            }
            counts[slot]++;
        }
        n++;
        sum += v;
        min = Math.min(min, v);
        max = Math.max(max, v);
    }

    /** Adds all values of another distribution. */
    public void merge(IntDistribution other) {
        if (other.n == 0) {
            return;
        }
        if (other.counts.length > counts.length) {
            counts = Arrays.copyOf(counts, other.counts.length);
        }
        for (int v = 0; v < other.counts.length; v++) {
            counts[v] += other.counts[v];
        }
        other.large.forEach((v, c) -> large.merge(v, c, Long::sum));
        n += other.n;
        sum += other.sum;
        min = Math.min(min, other.min);
        max = Math.max(max, other.max);
    }

    public long count() {
        return n;
    }

    public long sum() {
        return sum;
    }

    /** Smallest value, or 0 when empty. */
    public long min() {
        return n == 0 ? 0 : min;
    }

    /** Largest value, or 0 when empty. */
    public long max() {
        return n == 0 ? 0 : max;
    }

    public double mean() {
        return n == 0 ? 0 : (double) sum / n;
    }

    /** The q-quantile with linear interpolation between ranks (numpy's default), e.g. {@code percentile(0.95)}. */
    public double percentile(double q) {
        if (n == 0) {
            return 0;
        }
        double pos = Math.max(0, Math.min(1, q)) * (n - 1);
        long lo = (long) Math.floor(pos);
        long loValue = valueAtRank(lo);
        long hiValue = valueAtRank(Math.min(n - 1, lo + 1));
        return loValue + (hiValue - loValue) * (pos - lo);
    }

    private long valueAtRank(long rank) {
        long seen = 0;
        for (int v = 0; v < counts.length; v++) {
            seen += counts[v];
            if (seen > rank) {
                return v;
            }
        }
        for (var e : large.entrySet()) {
            seen += e.getValue();
            if (seen > rank) {
                return e.getKey();
            }
        }
        return max;
    }

    /** Number of values in {@code [from, to)}. */
    public long countBetween(long from, long to) {
        long c = 0;
        for (long v = Math.max(0, from); v < to && v < counts.length; v++) {
            c += counts[(int) v];
        }
        if (from < to) {
            for (long k : large.subMap(from, to).values()) {
                c += k;
            }
        }
        return c;
    }

    /** Sum of {@code min(value, cap)} over all values: the cookbook's billed tokens for a per-example cap. */
    public long sumCappedAt(long cap) {
        long total = 0;
        for (int v = 0; v < counts.length; v++) {
            if (counts[v] != 0) {
                total += counts[v] * Math.min(v, cap);
            }
        }
        for (var e : large.entrySet()) {
            total += e.getValue() * Math.min(e.getKey(), cap);
        }
        return total;
    }

    @Override
    public String toString() {
        return String.format("n=%d min=%d p50=%.1f mean=%.1f p95=%.1f max=%d", n, min(), percentile(0.5), mean(), percentile(0.95), max());
    }
}
