package dev.finetune4j.data;

/**
 * Open-addressing map from 64-bit hashes to int values (line numbers), 12 bytes per slot plus slack. The key 0
 * marks an empty slot (the key 0 itself is kept apart), so a lookup that misses, the usual case, reads one array.
 */
final class LongIntMap {
    private static final int ABSENT = Integer.MIN_VALUE;
    private static final long EMPTY = 0;
    private long[] keys;
    private int[] values;
    private int size;
    private int mask;
    private boolean hasZero;
    private int zeroValue;

    LongIntMap() {
        allocate(1 << 10);
    }

    private void allocate(int capacity) {
        keys = new long[capacity];
        values = new int[capacity];
        mask = capacity - 1;
    }

    /** Makes room for {@code expected} keys at once, instead of growing step by step while they arrive. */
    void ensureCapacity(int expected) {
        int capacity = mask + 1;
        while ((long) expected * 4 > (long) capacity * 3 && capacity < (1 << 30)) {
            capacity <<= 1;
        }
        if (capacity > mask + 1) {
            rehash(capacity);
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
        int i = slot(key);
        long k;
        while ((k = keys[i]) != EMPTY) {
            if (k == key) {
                return values[i];
            }
            i = (i + 1) & mask;
        }
        keys[i] = key;
        values[i] = value;
        if (++size * 4L > (mask + 1) * 3L) {
            rehash((mask + 1) * 2);
        }
        return ABSENT;
    }

    /** The stored value, or {@code missing}. */
    int get(long key, int missing) {
        if (key == EMPTY) {
            return hasZero ? zeroValue : missing;
        }
        int i = slot(key);
        long k;
        while ((k = keys[i]) != EMPTY) {
            if (k == key) {
                return values[i];
            }
            i = (i + 1) & mask;
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
        int i = slot(key);
        long k;
        while ((k = keys[i]) != EMPTY) {
            if (k == key) {
                values[i] = value;
                return;
            }
            i = (i + 1) & mask;
        }
        putIfAbsent(key, value);
    }

    int size() {
        return size;
    }

    static boolean isAbsent(int value) {
        return value == ABSENT;
    }

    private int slot(long key) {
        return (int) (key ^ (key >>> 32)) & mask;
    }

    private void rehash(int capacity) {
        long[] oldKeys = keys;
        int[] oldValues = values;
        allocate(capacity);
        for (int i = 0; i < oldKeys.length; i++) {
            long key = oldKeys[i];
            if (key != EMPTY) {
                int j = slot(key);
                while (keys[j] != EMPTY) {
                    j = (j + 1) & mask;
                }
                keys[j] = key;
                values[j] = oldValues[i];
            }
        }
    }
}
