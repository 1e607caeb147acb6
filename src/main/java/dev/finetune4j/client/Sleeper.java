package dev.finetune4j.client;

import java.time.Duration;

/** Waits between retries; replaceable so that tests need not sleep for real. */
interface Sleeper {
    Sleeper REAL = d -> Thread.sleep(d.toMillis(), d.toNanosPart() % 1_000_000);

    void sleep(Duration duration) throws InterruptedException;
}
