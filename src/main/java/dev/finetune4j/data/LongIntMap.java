package dev.finetune4j.data;

/**
 * Open-addressing map from 64-bit hashes to int values (line numbers). Each key sits next to its value in one
 * array, so a lookup in a large map costs one cache miss, not one per array (16 bytes per slot plus slack).
 */
final class LongIntMap {
    private static final int ABSENT = Integer.MIN_VALUE;
    /** Marks an empty slot; the key 0 itself is kept apart. */
    private static final long EMPTY = 0;
    private long[] slots;
    private int size;
    private int mask;
    private boolean hasZero;
    private int zeroValue;

    LongIntMap() {
        allocate(1 << 10);
    }

    private void allocate(int capacity) {
        slots = new long[capacity * 2];
        mask = capacity - 1;
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
        while ((k = slots[i << 1]) != EMPTY) {
            if (k == key) {
                return (int) slots[(i << 1) + 1];
            }
            i = (i + 1) & mask;
        }
        slots[i << 1] = key;
        slots[(i << 1) + 1] = value;
        if (++size * 4L > (mask + 1) * 3L) {
            grow();
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
        while ((k = slots[i << 1]) != EMPTY) {
            if (k == key) {
                return (int) slots[(i << 1) + 1];
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
        while ((k = slots[i << 1]) != EMPTY) {
            if (k == key) {
                slots[(i << 1) + 1] = value;
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

    private void grow() {
        long[] old = slots;
        allocate((mask + 1) * 2);
        for (int i = 0; i < old.length; i += 2) {
            long key = old[i];
            if (key != EMPTY) {
                int j = slot(key);
                while (slots[j << 1] != EMPTY) {
                    j = (j + 1) & mask;
                }
                slots[j << 1] = key;
                slots[(j << 1) + 1] = old[i + 1];
            }
        }
    }
}
