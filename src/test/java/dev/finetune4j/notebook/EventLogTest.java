package dev.finetune4j.notebook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finetune4j.api.FineTuningJobEvent;
import dev.finetune4j.api.Page;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventLogTest {

    /** Serves a growing list of events newest first with the API's cursor rule, and records the requests. */
    static final class Server implements EventLog.Source {
        final List<FineTuningJobEvent> newestFirst = new ArrayList<>();
        final List<Integer> limits = new ArrayList<>();
        int maxLimit = Integer.MAX_VALUE;

        @Override
        public Page<FineTuningJobEvent> page(String after, int limit) {
            limits.add(limit);
            if (limit > maxLimit) throw new IllegalStateException("400 limit too large");
            int start = 0;
            if (after != null) {
                while (!newestFirst.get(start).id().equals(after)) start++;
                start++;
            }
            int end = Math.min(newestFirst.size(), start + limit);
            return Page.of(List.copyOf(newestFirst.subList(start, end)), end < newestFirst.size());
        }

        void emit(FineTuningJobEvent e) {
            newestFirst.add(0, e);
        }
    }

    private static EventLog log(Server s) {
        return new EventLog(s, e -> e.getMessage().startsWith("400"));
    }

    @Test
    void firstReadTakesEverythingInFewLargePages() {
        Server s = new Server();
        s.newestFirst.addAll(Fixtures.history(25_000, 1000));
        EventLog log = log(s);
        List<FineTuningJobEvent> all = log.poll();
        assertThat(all).hasSize(25_002);
        assertThat(all.get(0).id()).isEqualTo("ev-0");
        assertThat(all.get(all.size() - 1).id()).isEqualTo("ev-25001");
        assertThat(s.limits).containsExactly(10_000, 10_000, 10_000);
        assertThat(log.requests()).isEqualTo(3);
    }

    @Test
    void pollsReturnOnlyNewEventsAtOneRequestEach() {
        Server s = new Server();
        List<FineTuningJobEvent> history = new ArrayList<>(Fixtures.history(500, 100));
        java.util.Collections.reverse(history); // oldest first
        for (int i = 0; i < 10; i++) s.emit(history.get(i));
        EventLog log = log(s);
        assertThat(log.poll()).hasSize(10);
        assertThat(log.poll()).isEmpty();
        for (int i = 10; i < 13; i++) s.emit(history.get(i));
        List<FineTuningJobEvent> fresh = log.poll();
        assertThat(fresh).extracting(FineTuningJobEvent::id).containsExactly("ev-10", "ev-11", "ev-12");
        assertThat(log.requests()).isEqualTo(3);
        assertThat(s.limits.subList(1, 3)).containsOnly(EventLog.POLL_LIMIT);

        // a burst larger than a poll page: pages grow until the known events are reached
        for (int i = 13; i < 480; i++) s.emit(history.get(i));
        fresh = log.poll();
        assertThat(fresh).hasSize(467);
        assertThat(fresh.get(0).id()).isEqualTo("ev-13");
        assertThat(s.limits.subList(3, s.limits.size())).containsExactly(100, 400);
        assertThat(log.events()).hasSize(480).extracting(FineTuningJobEvent::id).doesNotHaveDuplicates();
    }

    @Test
    void aServerRefusingLargePagesIsReadWithPagesOf100() {
        Server s = new Server();
        s.maxLimit = 100;
        s.newestFirst.addAll(Fixtures.history(250, 50));
        EventLog log = log(s);
        assertThat(log.poll()).hasSize(252);
        assertThat(s.limits).containsExactly(10_000, 100, 100, 100);
        // the cap is kept: later polls do not ask for large pages again
        s.emit(Fixtures.message("late", 99_999, "done"));
        assertThat(log.poll()).extracting(FineTuningJobEvent::id).containsExactly("late");
        assertThat(s.limits.get(s.limits.size() - 1)).isEqualTo(100);
    }

    @Test
    void aServerThatRepeatsItsPageIsReadOnce() {
        List<FineTuningJobEvent> page = Fixtures.history(3, 3);
        int[] requests = {0};
        EventLog log = new EventLog((after, limit) -> {
            requests[0]++;
            return Page.of(page, true);
        }, e -> false);
        assertThat(log.poll()).hasSize(page.size());
        assertThat(requests[0]).isEqualTo(2);
        assertThat(log.poll()).isEmpty();
        assertThat(log.events()).hasSize(page.size());
    }

    @Test
    void otherFailuresPropagateAndLoseNothing() {
        Server s = new Server();
        s.newestFirst.addAll(Fixtures.history(5, 5));
        EventLog log = new EventLog((after, limit) -> {
            throw new IllegalStateException("connection reset");
        }, e -> false);
        assertThatThrownBy(log::poll).hasMessage("connection reset");
        assertThat(log.events()).isEmpty();
    }
}
