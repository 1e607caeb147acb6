package dev.finetune4j.data;

/** Open-addressing map from 64-bit hashes to int values (line numbers), 12 bytes per entry plus slack. */
final class LongIntMap {
    private static final int ABSENT = Integer.MIN_VALUE;
    private long[] keys;
    private int[] values;
    private boolean[] used;
    private int size;
    private int mask;

    LongIntMap() {
        allocate(1 << 10);
    }

    private void allocate(int capacity) {
        keys = new long[capacity];
        values = new int[capacity];
        used = new boolean[capacity];
        mask = capacity - 1;
        size = 0;
    }

    /** Stores the value when the key is new and returns {@link #ABSENT}; otherwise returns the stored value. */
    int putIfAbsent(long key, int value) {
        int i = slot(key);
        while (used[i]) {
            if (keys[i] == key) {
                return values[i];
            }
            i = (i + 1) & mask;
        }
        used[i] = true;
        keys[i] = key;
        values[i] = value;
        if (++size * 4 > keys.length * 3) {
            grow();
        }
        return ABSENT;
    }

    /** The stored value, or {@code missing}. */
    int get(long key, int missing) {
        int i = slot(key);
        while (used[i]) {
            if (keys[i] == key) {
                return values[i];
            }
            i = (i + 1) & mask;
        }
        return missing;
    }

    /** Replaces the value of a key that is present; adds it otherwise. */
    void set(long key, int value) {
        int i = slot(key);
        while (used[i]) {
            if (keys[i] == key) {
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

    private void grow() {
        long[] oldKeys = keys;
        int[] oldValues = values;
        boolean[] oldUsed = used;
        allocate(oldKeys.length * 2);
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldUsed[i]) {
                putIfAbsent(oldKeys[i], oldValues[i]);
            }
        }
    }
}
