package dev.finetune4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finetune4j.server.Rows.EventRow;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobStoreTest {
    @Test
    void eventsPagedPastTheStepsARestartForgetsGoOnAfterThem(@TempDir Path dir) {
        try (Database db = new Database(dir.resolve("finetune4j.db"))) {
            JobStore jobs = new JobStore(db);
            for (int step = 1; step <= 6; step++) {
                db.update("INSERT INTO events(id, job_id, created_at, level, message, type, step) VALUES (?,?,?,?,?,?,?)",
                        "ftevent-" + step, "ftjob-a", step, "info", "Step " + step, "metrics", step);
            }
            // a client read the newest events, then the job resumed from step 3 and forgot 4 to 6
            List<EventRow> first = jobs.events("ftjob-a", null, 2);
            String cursor = first.get(first.size() - 1).id();
            assertThat(cursor).isEqualTo("ftevent-5");
            jobs.forgetAfter("ftjob-a", 3);
            assertThat(jobs.events("ftjob-a", cursor, 10)).extracting(EventRow::id)
                    .containsExactly("ftevent-3", "ftevent-2", "ftevent-1");
        }
    }
}
