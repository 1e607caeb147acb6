package dev.finetune4j.data;

import java.util.Arrays;

/**
 * Exact distribution of non-negative integers (tokens or messages per example) kept as counts per value, so its
 * memory depends on the largest value, not on the number of examples. Values from {@value #CAP} up share the last
 * slot: the largest of them is the maximum, known exactly, and the others count as {@value #CAP} in percentiles and
 * {@link #countBetween}; min, max, mean and sums stay exact.
 */
public final class IntDistribution {
    static final int CAP = 1 << 20;
    private long[] counts = new long[64];
    private long n;
    private long sum;
    private long min = Long.MAX_VALUE;
    private long max = Long.MIN_VALUE;

    /** Adds one value; negative values count as 0. */
    public void add(long value) {
        long v = Math.max(0, value);
        int slot = (int) Math.min(v, CAP);
        if (slot >= counts.length) {
            counts = Arrays.copyOf(counts, Math.min(CAP + 1, Math.max(slot + 1, counts.length * 2)));
        }
        counts[slot]++;
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
                return v == CAP && rank == n - 1 ? max : v;
            }
        }
        return max;
    }

    /** Number of values in {@code [from, to)}. */
    public long countBetween(long from, long to) {
        long c = 0;
        for (long v = Math.max(0, from); v < to && v < Math.min(counts.length, CAP); v++) {
            c += counts[(int) v];
        }
        if (counts.length > CAP && counts[CAP] > 0) {
            // the last slot: the maximum where it is, the others at the slot's value
            long others = counts[CAP] - 1;
            if (max >= from && max < to) c++;
            if (CAP >= from && CAP < to) c += others;
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
        if (max > CAP && cap > CAP) {
            // values beyond the slots are exact in sum only; correct for the ones the last slot stands for
            total = total - counts[CAP] * Math.min(CAP, cap) + Math.min(sum - sumBelowCap(), counts[CAP] * cap);
        }
        return total;
    }

    private long sumBelowCap() {
        long s = 0;
        for (int v = 0; v < CAP && v < counts.length; v++) {
            s += counts[v] * v;
        }
        return s;
    }

    @Override
    public String toString() {
        return String.format("n=%d min=%d p50=%.1f mean=%.1f p95=%.1f max=%d", n, min(), percentile(0.5), mean(), percentile(0.95), max());
    }
}
