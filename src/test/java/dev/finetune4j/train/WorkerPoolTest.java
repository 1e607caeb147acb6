package dev.finetune4j.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class WorkerPoolTest {
    @Test
    void runsEveryTaskExactlyOnceOverManyRoundsWithIdleGapsBetween() throws InterruptedException {
        try (WorkerPool pool = new WorkerPool(3)) {
            for (int round = 0; round < 2000; round++) {
                int n = 1 + round % 17;
                AtomicIntegerArray runs = new AtomicIntegerArray(n);
                pool.run(n, (task, worker) -> {
                    assertThat(worker).isBetween(0, 2);
                    runs.incrementAndGet(task);
                });
                for (int i = 0; i < n; i++) assertThat(runs.get(i)).as("round %d task %d", round, i).isEqualTo(1);
                if (round % 500 == 0) Thread.sleep(5); // long enough for the workers to stop spinning and park
            }
        }
    }

    @Test
    void everyThreadTakesPartAndTheCallerIsWorkerZero() {
        try (WorkerPool pool = new WorkerPool(2)) {
            var threadsByWorker = new ConcurrentHashMap<Integer, Thread>();
            pool.run(64, (task, worker) -> {
                threadsByWorker.putIfAbsent(worker, Thread.currentThread());
                long until = System.nanoTime() + 200_000;
                while (System.nanoTime() < until) Thread.onSpinWait(); // give the other thread time to join
            });
            assertThat(threadsByWorker.get(0)).isSameAs(Thread.currentThread());
            assertThat(threadsByWorker).containsKey(1);
            assertThat(threadsByWorker.get(1)).isNotSameAs(Thread.currentThread());
        }
    }

    @Test
    void aFailingTaskIsRethrownAfterTheOthersFinishAndThePoolStaysUsable() {
        try (WorkerPool pool = new WorkerPool(2)) {
            AtomicIntegerArray runs = new AtomicIntegerArray(20);
            assertThatThrownBy(() -> pool.run(20, (task, worker) -> {
                runs.incrementAndGet(task);
                if (task == 7) throw new IllegalArgumentException("task 7 failed");
            })).isInstanceOf(IllegalArgumentException.class).hasMessage("task 7 failed");
            for (int i = 0; i < 20; i++) assertThat(runs.get(i)).isEqualTo(1);

            AtomicIntegerArray again = new AtomicIntegerArray(5);
            pool.run(5, (task, worker) -> again.incrementAndGet(task));
            for (int i = 0; i < 5; i++) assertThat(again.get(i)).isEqualTo(1);
        }
    }

    @Test
    void aClosedPoolRefusesWork() {
        WorkerPool pool = new WorkerPool(2);
        pool.close();
        assertThatThrownBy(() -> pool.run(4, (task, worker) -> {})).isInstanceOf(IllegalStateException.class);
    }
}
