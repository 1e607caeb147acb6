package dev.finetune4j.data;

/**
 * Open-addressing map from 64-bit hashes to int values (line numbers), 12 bytes per slot plus slack. The key 0
 * marks an empty slot (the key 0 itself is kept apart), so a lookup that misses, the usual case, reads one array.
 *
 * <p>The slots are cut into {@value #SEGMENTS} segments by the key's top bits, each grown on its own by half its
 * size: a rehash holds one small segment twice, never two whole tables, and no array is as large as the table
 * (millions of distinct lines fit in a heap of 128 MB). Capacities are not powers of two, so a table sized for
 * its expected keys carries little slack.
 */
final class LongIntMap {
    private static final int ABSENT = Integer.MIN_VALUE;
    private static final long EMPTY = 0;
    private static final int SEGMENT_BITS = 8;
    private static final int SEGMENTS = 1 << SEGMENT_BITS;
    /** Keys are random hashes, so linear probing stays short up to this load. */
    private static final double MAX_LOAD = 0.9;
    /** The load a table sized for its expected keys starts from, leaving room for a low estimate. */
    private static final double SIZED_LOAD = 0.8;
    private static final int MIN_SEGMENT = 16;
    /** Bytes per key of a table sized by {@link #ensureCapacity}. */
    static final int SIZED_BYTES_PER_KEY = (int) Math.ceil(12 / SIZED_LOAD);

    private final long[][] keys = new long[SEGMENTS][];
    private final int[][] values = new int[SEGMENTS][];
    private final int[] sizes = new int[SEGMENTS];
    private final int[] limits = new int[SEGMENTS];
    private int size;
    private boolean hasZero;
    private int zeroValue;

    LongIntMap() {
        for (int s = 0; s < SEGMENTS; s++) {
            allocate(s, MIN_SEGMENT);
        }
    }

    private void allocate(int segment, int capacity) {
        keys[segment] = new long[capacity];
        values[segment] = new int[capacity];
        limits[segment] = (int) Math.min(capacity - 1, (long) (capacity * MAX_LOAD));
    }

    /** Makes room for {@code expected} keys at once, instead of growing step by step while they arrive. */
    void ensureCapacity(int expected) {
        int capacity = (int) Math.min(Integer.MAX_VALUE - 8, (long) Math.ceil(expected / (double) SEGMENTS / SIZED_LOAD) + 1);
        for (int s = 0; s < SEGMENTS; s++) {
            if (capacity > keys[s].length) {
                rehash(s, capacity);
            }
        }
    }

    /** Stores the value when the key is new and returns {@link #ABSENT}; otherwise returns the stored value. */
    int putIfAbsent(long key, int value) {
        if (key == EMPTY) {
            if (hasZero) {
                return zeroValue;
            }
            hasZero = true;
            zeroValue = value;
            size++;
            return ABSENT;
        }
        int s = segment(key);
        long[] ks = keys[s];
        int i = slot(key, ks.length);
        long k;
        while ((k = ks[i]) != EMPTY) {
            if (k == key) {
                return values[s][i];
            }
            if (++i == ks.length) {
                i = 0;
            }
        }
        ks[i] = key;
        values[s][i] = value;
        size++;
        if (++sizes[s] > limits[s]) {
            rehash(s, ks.length + ks.length / 2);
        }
        return ABSENT;
    }

    /** The stored value, or {@code missing}. */
    int get(long key, int missing) {
        if (key == EMPTY) {
            return hasZero ? zeroValue : missing;
        }
        int s = segment(key);
        long[] ks = keys[s];
        int i = slot(key, ks.length);
        long k;
        while ((k = ks[i]) != EMPTY) {
            if (k == key) {
                return values[s][i];
            }
            if (++i == ks.length) {
                i = 0;
            }
        }
        return missing;
    }

    /** Replaces the value of a key that is present; adds it otherwise. */
    void set(long key, int value) {
        if (key == EMPTY) {
            size += hasZero ? 0 : 1;
            hasZero = true;
            zeroValue = value;
            return;
        }
        int s = segment(key);
        long[] ks = keys[s];
        int i = slot(key, ks.length);
        long k;
        while ((k = ks[i]) != EMPTY) {
            if (k == key) {
                values[s][i] = value;
                return;
            }
            if (++i == ks.length) {
                i = 0;
            }
        }
        putIfAbsent(key, value);
    }

    int size() {
        return size;
    }

    /** Bytes of the table's arrays. */
    long bytes() {
        long n = 0;
        for (int s = 0; s < SEGMENTS; s++) {
            n += keys[s].length * 12L;
        }
        return n;
    }

    /** Bytes of the table's largest array: what one rehash holds twice. */
    long largestArrayBytes() {
        long n = 0;
        for (int s = 0; s < SEGMENTS; s++) {
            n = Math.max(n, keys[s].length * 8L);
        }
        return n;
    }

    static boolean isAbsent(int value) {
        return value == ABSENT;
    }

    private static int segment(long key) {
        return (int) (key >>> (64 - SEGMENT_BITS));
    }

    /** The low 32 bits scaled to the capacity (the top bits chose the segment, so they would all be alike). */
    private static int slot(long key, int capacity) {
        return (int) (((key & 0xFFFF_FFFFL) * capacity) >>> 32);
    }

    private void rehash(int segment, int capacity) {
        long[] oldKeys = keys[segment];
        int[] oldValues = values[segment];
        allocate(segment, capacity);
        long[] ks = keys[segment];
        int[] vs = values[segment];
        for (int i = 0; i < oldKeys.length; i++) {
            long key = oldKeys[i];
            if (key != EMPTY) {
                int j = slot(key, capacity);
                while (ks[j] != EMPTY) {
                    if (++j == capacity) {
                        j = 0;
                    }
                }
                ks[j] = key;
                vs[j] = oldValues[i];
            }
        }
    }
}
