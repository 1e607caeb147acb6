package dev.finetune4j.client;

import dev.finetune4j.api.Page;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * One page of a list, plus lazy access to the following pages. Iterating the page (a for-each loop,
 * {@link #autoPager()} or {@link #stream()}) walks every item of this and later pages, fetching each next page
 * only when needed; {@link #data()} is this page alone. Example:
 * {@code for (FineTuningJob job : client.fineTuning().jobs().list()) System.out.println(job.id());}
 */
public final class CursorPage<T> implements Iterable<T> {
    private final Page<T> envelope;
    private final String nextCursor;
    private final Function<String, CursorPage<T>> fetch;

    CursorPage(Page<T> envelope, String nextCursor, Function<String, CursorPage<T>> fetch) {
        this.envelope = envelope;
        this.nextCursor = nextCursor;
        this.fetch = fetch;
    }

    /** The items of this page only. */
    public List<T> data() {
        return envelope.data();
    }

    /** What the server said: whether more items follow this page. */
    public boolean hasMore() {
        return envelope.hasMore();
    }

    /** {@code first_id} of the envelope, for lists that have it; else null. */
    public String firstId() {
        return envelope.firstId();
    }

    /** {@code last_id} of the envelope, for lists that have it; else null. */
    public String lastId() {
        return envelope.lastId();
    }

    /** The list envelope as received. */
    public Page<T> envelope() {
        return envelope;
    }

    /** True when another page can be fetched: the server has more, this page is not empty, a cursor exists. */
    public boolean hasNextPage() {
        return fetch != null && envelope.hasMore() && !envelope.data().isEmpty() && nextCursor != null;
    }

    /** The cursor ({@code after}) the next page will be requested with; null when there is no next page. */
    public String nextCursor() {
        return hasNextPage() ? nextCursor : null;
    }

    /** Fetches the next page (same filters and limit, {@code after} = this page's cursor). */
    public CursorPage<T> nextPage() {
        if (!hasNextPage()) throw new NoSuchElementException("this is the last page");
        return fetch.apply(nextCursor);
    }

    /**
     * This page and every following one, to iterate or stream as with the official SDKs' auto-pager:
     * {@code for (FineTuningJob job : page.autoPager()) ...} or {@code page.autoPager().stream()}. The page itself
     * iterates the same way.
     */
    public CursorPage<T> autoPager() {
        return this;
    }

    /**
     * Iterates the items of this page, then of every following page, fetching pages lazily. A cursor the service
     * has already given ends the walk: a service that answers {@code has_more} with the same page again (a mock
     * of the spec does) would otherwise be asked forever.
     */
    @Override
    public Iterator<T> iterator() {
        return new Iterator<>() {
            private CursorPage<T> page = CursorPage.this;
            private Iterator<T> items = page.data().iterator();
            private final Set<String> cursors = new HashSet<>();

            @Override
            public boolean hasNext() {
                while (!items.hasNext()) {
                    if (!page.hasNextPage() || !cursors.add(page.nextCursor)) return false;
                    page = page.nextPage();
                    items = page.data().iterator();
                }
                return true;
            }

            @Override
            public T next() {
                if (!hasNext()) throw new NoSuchElementException();
                return items.next();
            }
        };
    }

    /** A lazy stream of the items of this and every following page. */
    public Stream<T> stream() {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(iterator(),
                Spliterator.ORDERED | Spliterator.NONNULL), false);
    }

    @Override
    public String toString() {
        return "CursorPage[items=" + data().size() + ", hasMore=" + hasMore() + "]";
    }
}
