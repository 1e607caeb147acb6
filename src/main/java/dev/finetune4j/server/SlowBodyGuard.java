package dev.finetune4j.server;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Ends the reading of a request body that arrives slower than a floor: fewer than {@code minBytes} in any
 * {@code window} while the server waits for it. Reading a body holds a server thread, so a few hundred bodies sent
 * a byte every few seconds stalled every other client; Jetty's idle timeout does not fire while bytes still trickle
 * in. Jetty's own {@code MinimumDataRateHandler} measures the bytes of all requests together, not of one.
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
        // Jetty calls read and demand one at a time for a request, and hands over between threads with a
        // happens-before edge, so plain fields do
        private long windowStart;
        private long windowBytes;
        private Content.Chunk failure;

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
            } else if (now - windowStart >= windowNanos) {
                if (windowBytes < minBytes) {
                    failure = Content.Chunk.from(new TooSlow("The request body arrived too slowly: " + windowBytes
                            + " bytes in the last " + Duration.ofNanos(now - windowStart).toSeconds() + " s, and the"
                            + " server needs at least " + minBytes + " bytes every " + Duration.ofNanos(windowNanos)
                            .toSeconds() + " s. Send it again; a large file can go in parts through the uploads API."));
                    demandCallback.run();
                    return;
                }
                windowStart = now;
                windowBytes = 0;
            }
            super.demand(demandCallback);
        }
    }
}
