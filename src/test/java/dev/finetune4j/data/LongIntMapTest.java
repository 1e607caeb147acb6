package dev.finetune4j.data;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The duplicate table must hold millions of lines in a small heap: 5 million distinct lines in -Xmx128m. */
class LongIntMapTest {
    private static final int FIVE_MILLION = 5_000_000;

    @Test
    void aTableSizedForItsKeysCarriesLittleSlack() {
        LongIntMap map = new LongIntMap();
        map.ensureCapacity(FIVE_MILLION);
        // a power-of-two table at load 3/4 took 8M slots, 96 MB
        assertThat(map.bytes()).isLessThan(FIVE_MILLION * 16L);
    }

    @Test
    void growingNeverAllocatesALargeArray() {
        LongIntMap map = new LongIntMap();
        long key = 0x9E3779B97F4A7C15L;
        for (int i = 1; i <= FIVE_MILLION; i++) {
            map.putIfAbsent(i * key, i);
        }
        assertThat(map.size()).isEqualTo(FIVE_MILLION);
        assertThat(map.get(4_321_987 * key, -1)).isEqualTo(4_321_987);
        assertThat(map.bytes()).isLessThan(FIVE_MILLION * 21L);
        // one rehash holds a segment twice, not the whole table: arrays stay below G1's humongous size (half a region)
        assertThat(map.largestArrayBytes()).isLessThan(512 * 1024);
    }
}
