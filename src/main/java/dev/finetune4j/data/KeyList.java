package dev.finetune4j.data;

import java.util.AbstractList;
import java.util.Arrays;

/**
 * The keys of one object, in order. The fast scanner adds known names by their index in
 * {@link FastExampleScanner#NAMES}, so a line's keys are stored as ints: every reference stored into an object runs
 * the garbage collector's write barrier, and a line has a dozen keys (see {@link MessageFacts}).
 */
final class KeyList extends AbstractList<String> {
    private int[] ids = new int[8];
    /** The names of keys with no id (read by Jackson, or not known to the fast scanner), at their index. */
    private String[] names = new String[8];
    private int size;

    /** Adds a name of {@link FastExampleScanner#NAMES} by its index. */
    void add(int id) {
        if (size == ids.length) {
            grow();
        }
        ids[size++] = id;
    }

    @Override
    public boolean add(String name) {
        if (size == ids.length) {
            grow();
        }
        names[size] = name;
        ids[size++] = -1;
        return true;
    }

    private void grow() {
        ids = Arrays.copyOf(ids, size * 2);
        names = Arrays.copyOf(names, size * 2);
    }

    @Override
    public String get(int index) {
        if (index >= size) {
            throw new IndexOutOfBoundsException(index);
        }
        int id = ids[index];
        return id >= 0 ? FastExampleScanner.NAMES[id] : names[index];
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public void clear() {
        size = 0;
    }
}
