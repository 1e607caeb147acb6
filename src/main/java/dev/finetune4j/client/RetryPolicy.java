package dev.finetune4j.client;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.function.DoubleSupplier;
import okhttp3.Headers;

/**
 * When to retry and how long to wait, as the official SDKs do: statuses 408, 409, 429 and 5xx (or whatever a
 * {@code x-should-retry} header says), the server's {@code retry-after-ms}/{@code retry-after} when it is within
 * 120 s, else exponential backoff {@code min(0.5 * 2^k, 8) * (1 - 0.25 * U)}; a retry-after beyond 120 s means
 * the server asks for more patience than a blocking call should show, so the error is raised instead.
 */
final class RetryPolicy {
    static final double MAX_RETRY_AFTER_SECONDS = 120.0;
    static final double INITIAL_DELAY_SECONDS = 0.5;
    static final double MAX_DELAY_SECONDS = 8.0;

    private final DoubleSupplier random;
    private final Clock clock;

    RetryPolicy(DoubleSupplier random, Clock clock) {
        this.random = random;
        this.clock = clock;
    }

    /** Whether an error response may be retried (retries left are checked by the caller). */
    boolean shouldRetry(int status, Headers headers) {
        Double retryAfter = retryAfterSeconds(headers);
        if (retryAfter != null && retryAfter > MAX_RETRY_AFTER_SECONDS) return false;
        String override = headers.get("x-should-retry");
        if ("true".equalsIgnoreCase(override)) return true;
        if ("false".equalsIgnoreCase(override)) return false;
        return status == 408 || status == 409 || status == 429 || status >= 500;
    }

    /** The wait before the next attempt; {@code retriesTaken} is 0 before the first retry. */
    Duration delay(Headers headers, int retriesTaken) {
        Double retryAfter = headers == null ? null : retryAfterSeconds(headers);
        if (retryAfter != null && retryAfter > 0 && retryAfter <= MAX_RETRY_AFTER_SECONDS) {
            return Duration.ofNanos(Math.round(retryAfter * 1e9));
        }
        return backoff(retriesTaken);
    }

    Duration backoff(int retriesTaken) {
        double seconds = Math.min(INITIAL_DELAY_SECONDS * Math.pow(2.0, Math.min(retriesTaken, 1000)),
                MAX_DELAY_SECONDS);
        seconds *= 1 - 0.25 * random.getAsDouble();
        return Duration.ofNanos(Math.round(Math.max(seconds, 0) * 1e9));
    }

    /** {@code retry-after-ms} (ms), else {@code retry-after} as seconds or as an HTTP date; null when absent. */
    Double retryAfterSeconds(Headers headers) {
        String ms = headers.get("retry-after-ms");
        if (ms != null) {
            Double v = parseFinite(ms);
            if (v != null) return v / 1000.0;
        }
        String ra = headers.get("retry-after");
        if (ra == null) return null;
        Double seconds = parseFinite(ra);
        if (seconds != null) return seconds;
        try {
            ZonedDateTime when = ZonedDateTime.parse(ra.trim(), DateTimeFormatter.RFC_1123_DATE_TIME.withLocale(Locale.US));
            return (when.toInstant().toEpochMilli() - clock.millis()) / 1000.0;
        } catch (RuntimeException notADate) {
            return null;
        }
    }

    private static Double parseFinite(String s) {
        try {
            double v = Double.parseDouble(s.trim());
            return Double.isFinite(v) ? v : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
