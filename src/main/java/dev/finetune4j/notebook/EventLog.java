package dev.finetune4j.notebook;

import dev.finetune4j.api.FineTuningJobEvent;
import dev.finetune4j.api.Page;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The events of one job, read incrementally. The API lists events newest first and pages backwards in time
 * ({@code after} = id of the last event of the previous page), so new events are read from the first page
 * until an event already held appears: a poll during training costs one request, and reading a whole history
 * costs one request per {@link #MAX_LIMIT} events. The page size starts small for polls and doubles while a poll
 * finds only new events, so a quiet job is cheap and a first read of 10,000 events takes two or three requests.
 *
 * <p>A server that refuses large pages (some cap {@code limit} at 100) is detected on the first refusal: the
 * request is retried with a page of 100, which is then kept.
 */
final class EventLog {
    /** The largest page the API documents for lists (the files list's maximum). */
    static final int MAX_LIMIT = 10_000;
    /** Page size of a poll when events are already held. */
    static final int POLL_LIMIT = 100;
    /** Page size to fall back to when a server refuses larger ones. */
    static final int SAFE_LIMIT = 100;

    /** Fetches one page of events: {@code after} (null for the newest) and {@code limit}. */
    interface Source {
        Page<FineTuningJobEvent> page(String after, int limit);
    }

    /** Tells a refusal of the page size (HTTP 400) from any other failure. */
    interface LimitRefusal {
        boolean test(RuntimeException e);
    }

    private final Source source;
    private final LimitRefusal refusal;
    private final List<FineTuningJobEvent> events = new ArrayList<>();
    private final Set<String> ids = new HashSet<>();
    private int maxLimit = MAX_LIMIT;
    private long requests;

    EventLog(Source source, LimitRefusal refusal) {
        this.source = source;
        this.refusal = refusal;
    }

    /**
     * Reads the events that appeared since the last call and returns them oldest first; the first call reads
     * the whole history.
     */
    synchronized List<FineTuningJobEvent> poll() {
        List<FineTuningJobEvent> fresh = new ArrayList<>();
        Set<String> freshIds = new HashSet<>();
        int limit = events.isEmpty() ? maxLimit : Math.min(POLL_LIMIT, maxLimit);
        String after = null;
        while (true) {
            Page<FineTuningJobEvent> page = fetch(after, limit);
            boolean reachedKnown = false;
            for (FineTuningJobEvent e : page.data()) {
                // an event seen in this poll too: a service that answers the same page again would loop forever
                if (ids.contains(e.id()) || !freshIds.add(e.id())) {
                    reachedKnown = true;
                    break;
                }
                fresh.add(e);
            }
            if (reachedKnown || !page.hasMore() || page.data().isEmpty()) break;
            after = page.data().get(page.data().size() - 1).id();
            limit = Math.min(limit * 4, maxLimit);
        }
        Collections.reverse(fresh);
        for (FineTuningJobEvent e : fresh) {
            if (ids.add(e.id())) events.add(e);
        }
        return fresh;
    }

    /** Every event read so far, oldest first. */
    synchronized List<FineTuningJobEvent> events() {
        return List.copyOf(events);
    }

    /** Requests made so far (for the benchmark and for tests). */
    synchronized long requests() {
        return requests;
    }

    private Page<FineTuningJobEvent> fetch(String after, int limit) {
        requests++;
        try {
            return source.page(after, limit);
        } catch (RuntimeException e) {
            if (limit <= SAFE_LIMIT || !refusal.test(e)) throw e;
            maxLimit = SAFE_LIMIT;
            requests++;
            return source.page(after, SAFE_LIMIT);
        }
    }
}
