package dev.finetune4j.server;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Ends the reading of a request body that arrives slower than a floor: fewer than {@code minBytes} in any
 * {@code window} while the server waits for it. Reading a body holds a server thread, so a few hundred bodies sent
 * a byte every few seconds, or stopped after their first bytes, stalled every other client; Jetty's idle timeout
 * does not fire while bytes still trickle in, and waits 30 s for one that stopped. Jetty's own
 * {@code MinimumDataRateHandler} measures the bytes of all requests together, not of one.
 */
final class SlowBodyGuard extends Handler.Wrapper {
    /** The default floor: 5 KiB in 5 s, far below any real client's speed, even on a poor network. */
    static final long MIN_BYTES = 5 * 1024;
    static final Duration WINDOW = Duration.ofSeconds(5);

    private final long minBytes;
    private final long windowNanos;

    SlowBodyGuard(long minBytes, Duration window) {
        this.minBytes = minBytes;
        this.windowNanos = window.toNanos();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        return super.handle(new Guarded(request), response, callback);
    }

    /** The API error of a body refused as too slow, if {@code failure} comes from one; else null. */
    static ApiException asApiError(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof TooSlow slow) {
                return new ApiException(408, slow.getMessage(), ApiException.INVALID_REQUEST, null, "request_timeout");
            }
            if (t.getCause() == t) break;
        }
        return null;
    }

    static final class TooSlow extends TimeoutException {
        TooSlow(String message) {
            super(message);
        }
    }

    private final class Guarded extends Request.Wrapper {
        // Jetty calls read and demand one at a time for a request; the timer below runs while a demand waits, and
        // hands over to the reader through the demand's callback. Volatile fields keep that visible.
        private volatile long windowStart;
        private volatile long windowBytes;
        private volatile Content.Chunk failure;

        Guarded(Request request) {
            super(request);
        }

        @Override
        public Content.Chunk read() {
            if (failure != null) return failure;
            Content.Chunk chunk = super.read();
            if (chunk != null) windowBytes += chunk.remaining();
            return chunk;
        }

        @Override
        public void demand(Runnable demandCallback) {
            long now = System.nanoTime();
            if (windowStart == 0) {
                windowStart = now;
            } else if (now - windowStart >= windowNanos && !nextWindow(now)) {
                demandCallback.run();
                return;
            }
            // a body that stops arriving calls no demand again: a timer checks it at the window's end
            AtomicBoolean answered = new AtomicBoolean();
            Scheduler.Task[] timer = new Scheduler.Task[1];
            Runnable check = new Runnable() {
                @Override
                public void run() {
                    if (answered.get()) return;
                    long at = System.nanoTime();
                    if (nextWindow(at)) {
                        timer[0] = getComponents().getScheduler().schedule(this, windowNanos, TimeUnit.NANOSECONDS);
                    } else if (answered.compareAndSet(false, true)) {
                        demandCallback.run();
                    }
                }
            };
            timer[0] = getComponents().getScheduler().schedule(check, windowStart + windowNanos - now,
                    TimeUnit.NANOSECONDS);
            super.demand(() -> {
                if (!answered.compareAndSet(false, true)) return; // refused meanwhile
                timer[0].cancel();
                demandCallback.run();
            });
        }

        /** Starts the next window when the last one brought enough bytes; else records the failure, false. */
        private boolean nextWindow(long now) {
            if (windowBytes >= minBytes) {
                windowStart = now;
                windowBytes = 0;
                return true;
            }
            failure = Content.Chunk.from(new TooSlow("The request body arrived too slowly: " + windowBytes
                    + " bytes in the last " + Duration.ofNanos(now - windowStart).toSeconds() + " s, and the"
                    + " server needs at least " + minBytes + " bytes every " + Duration.ofNanos(windowNanos)
                    .toSeconds() + " s. Send it again; a large file can go in parts through the uploads API."));
            return false;
        }
    }
}
