package dev.finetune4j.train;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs numbered tasks on a fixed number of threads. Which worker runs a task never affects a result: tasks own
 * their outputs and the caller combines them in task order.
 *
 * <p>A training step hands out work three times (forward/backward, gradient reduction, optimizer) with gaps of
 * microseconds. Waking a parked thread costs tens to hundreds of microseconds on a virtual machine, about a tenth
 * of a small model's step, so the workers and the caller spin for a short while before they park.
 */
final class WorkerPool implements AutoCloseable {
    interface Task {
        void run(int task, int worker);
    }

    /** How long a thread spins for new work (workers) or for the others to finish (caller) before parking. */
    private static final long SPIN_NANOS = 200_000;

    private final int threads;
    private final Thread[] workers;
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile Task task;
    private volatile int count;
    private volatile Thread caller;
    private volatile long generation;
    private volatile boolean closed;

    WorkerPool(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        this.threads = threads;
        this.workers = new Thread[threads - 1];
        for (int w = 1; w < threads; w++) {
            int worker = w;
            Thread t = new Thread(() -> work(worker), "finetune4j-train-" + w);
            t.setDaemon(true);
            workers[w - 1] = t;
            t.start();
        }
    }

    int threads() {
        return threads;
    }

    /** Runs tasks {@code 0..n-1}, the calling thread taking part as worker 0; returns when all are done. */
    void run(int n, Task task) {
        if (workers.length == 0 || n <= 1) {
            for (int i = 0; i < n; i++) task.run(i, 0);
            return;
        }
        if (closed) throw new IllegalStateException("worker pool closed");
        this.task = task;
        this.count = n;
        this.caller = Thread.currentThread();
        next.set(0);
        failure.set(null);
        running.set(workers.length);
        generation++; // publishes the fields above to the workers (volatile write after plain ones)
        for (Thread t : workers) LockSupport.unpark(t);
        drain(0);
        long spinUntil = System.nanoTime() + SPIN_NANOS;
        while (running.get() != 0) {
            if (System.nanoTime() < spinUntil) Thread.onSpinWait();
            else LockSupport.parkNanos(this, 1_000_000);
        }
        this.task = null;
        Throwable e = failure.get();
        if (e instanceof RuntimeException re) throw re;
        if (e instanceof Error err) throw err;
    }

    private void drain(int worker) {
        Task t = task;
        int n = count;
        for (int i; (i = next.getAndIncrement()) < n; ) {
            try {
                t.run(i, worker);
            } catch (RuntimeException | Error e) {
                failure.compareAndSet(null, e);
            }
        }
    }

    private void work(int worker) {
        long seen = 0;
        while (!closed) {
            long spinUntil = System.nanoTime() + SPIN_NANOS;
            long g;
            while ((g = generation) == seen && !closed) {
                if (System.nanoTime() < spinUntil) Thread.onSpinWait();
                else LockSupport.park(this);
            }
            if (closed) return;
            seen = g;
            drain(worker);
            if (running.decrementAndGet() == 0) LockSupport.unpark(caller);
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Thread t : workers) LockSupport.unpark(t);
    }
}
