package dev.finetune4j.train;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs numbered tasks on a fixed number of threads. Which worker runs a task never affects a result: tasks own
 * their outputs and the caller combines them in task order.
 */
final class WorkerPool implements AutoCloseable {
    interface Task {
        void run(int task, int worker);
    }

    private final int threads;
    private final ExecutorService executor;

    WorkerPool(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        this.threads = threads;
        this.executor = threads == 1 ? null : Executors.newFixedThreadPool(threads - 1, r -> {
            Thread t = new Thread(r, "finetune4j-train");
            t.setDaemon(true);
            return t;
        });
    }

    int threads() {
        return threads;
    }

    /** Runs tasks {@code 0..n-1}, the calling thread taking part as worker 0; returns when all are done. */
    void run(int n, Task task) {
        if (executor == null || n <= 1) {
            for (int i = 0; i < n; i++) task.run(i, 0);
            return;
        }
        AtomicInteger next = new AtomicInteger();
        int helpers = Math.min(threads, n) - 1;
        List<Future<?>> futures = new ArrayList<>(helpers);
        for (int w = 1; w <= helpers; w++) {
            int worker = w;
            futures.add(executor.submit(() -> drain(next, n, task, worker)));
        }
        RuntimeException failure = null;
        try {
            drain(next, n, task, 0);
        } catch (RuntimeException e) {
            failure = e;
        }
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (ExecutionException e) {
                if (failure == null) {
                    failure = e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                if (failure == null) failure = new IllegalStateException("interrupted", e);
            }
        }
        if (failure != null) throw failure;
    }

    private static void drain(AtomicInteger next, int n, Task task, int worker) {
        for (int i; (i = next.getAndIncrement()) < n; ) task.run(i, worker);
    }

    @Override
    public void close() {
        if (executor != null) executor.shutdownNow();
    }
}
