package dev.finetune4j.server;

import dev.finetune4j.api.JobStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes what has expired: files past their {@code expires_at} (unless a job that has not finished uses them) and
 * uploads left pending past theirs. It runs when the server starts and then at a fixed interval on a daemon thread,
 * so a server that stays up for days does not keep expired data.
 *
 * <p>An upload is marked expired at once, with the same conditional update a completing request uses, so exactly
 * one of the two wins. Its parts are deleted only an hour later: a request that was already reading them when the
 * upload expired has long finished by then.
 */
final class Cleanup implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Cleanup.class);
    static final Duration UPLOAD_PARTS_GRACE = Duration.ofHours(1);

    private final Services s;
    private ScheduledExecutorService timer;

    Cleanup(Services s) {
        this.s = s;
    }

    /** Runs now, on the caller's thread (at start, before requests are served), then every {@code interval}. */
    void start(Duration interval) throws IOException {
        removeExpired(true);
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "finetune4j-cleanup");
            t.setDaemon(true);
            return t;
        });
        long ms = Math.max(1, interval.toMillis());
        timer.scheduleWithFixedDelay(this::runQuietly, ms, ms, TimeUnit.MILLISECONDS);
    }

    private void runQuietly() {
        try {
            removeExpired(false);
        } catch (Exception e) {
            // a failed sweep must not stop the next ones (or the server); whatever is left goes next time
            LOG.warn("removing expired files and uploads failed: {}", e.toString());
        }
    }

    /**
     * One sweep. At start no request is running, so the parts of every upload that is no longer pending can go
     * (including those of a completion or cancellation a crash interrupted); later only those of uploads that
     * expired more than {@link #UPLOAD_PARTS_GRACE} ago. That query lists every such upload each time, also those
     * already swept (deleting a missing folder is one failed lookup): rows of uploads are few next to their parts.
     */
    void removeExpired(boolean atStart) throws IOException {
        long now = Projects.now();
        s.db().update("UPDATE uploads SET status = 'expired' WHERE status = 'pending' AND expires_at <= ?", now);
        String leftovers = atStart
                ? "SELECT id FROM uploads WHERE status <> 'pending'"
                : "SELECT id FROM uploads WHERE status = 'expired' AND expires_at <= ?";
        Object[] args = atStart ? new Object[0] : new Object[] {now - UPLOAD_PARTS_GRACE.toSeconds()};
        for (String id : s.db().query(leftovers, rs -> rs.getString(1), args)) {
            Blobs.deleteTree(s.blobs().uploadDir(id));
        }
        DeletedCursors.forgetOld(s.db());
        if (atStart) removeOrphans();
        for (String id : s.files().expired()) {
            if (s.jobs().activeJobUsing(id) != null) continue;
            s.files().delete(id);
            Files.deleteIfExists(s.blobs().file(id));
        }
    }

    /**
     * Removes blobs no row points to: a crash between deleting a row and its file (a file, a fine-tuned model) or
     * between writing a file and its row leaves one behind, and nothing else would ever remove it. Runs at start only,
     * when no request and no job is writing; only finished jobs' folders are looked at.
     */
    private void removeOrphans() throws IOException {
        Path files = s.blobs().filesDir();
        if (Files.isDirectory(files)) {
            try (Stream<Path> blobs = Files.list(files)) {
                for (Path blob : blobs.toList()) {
                    String id = blob.getFileName().toString();
                    if (s.db().queryLong("SELECT 1 FROM files WHERE id = ?", id) == null) Files.deleteIfExists(blob);
                }
            }
        }
        Path jobs = s.blobs().jobsDir();
        if (!Files.isDirectory(jobs)) return;
        try (Stream<Path> dirs = Files.list(jobs)) {
            for (Path dir : dirs.filter(Files::isDirectory).toList()) {
                String status = s.db().queryString("SELECT status FROM jobs WHERE id = ?", dir.getFileName().toString());
                if (!JobStatus.SUCCEEDED.equals(status) && !JobStatus.FAILED.equals(status)
                        && !JobStatus.CANCELLED.equals(status)) {
                    continue;
                }
                // by file name within the job's folder: the stored paths say nothing of how the folder was named
                String job = dir.getFileName().toString();
                Set<String> used = new HashSet<>();
                for (String w : s.db().query("SELECT weights FROM models WHERE job_id = ? UNION ALL SELECT weights FROM"
                        + " checkpoints WHERE job_id = ?", rs -> rs.getString(1), job, job)) {
                    used.add(Path.of(w).getFileName().toString());
                }
                try (Stream<Path> weights = Files.list(dir)) {
                    for (Path w : weights.toList()) {
                        String name = w.getFileName().toString();
                        boolean isWeights = name.equals("model.bin") || name.startsWith("ckpt-step-");
                        if (isWeights && !used.contains(name)) Files.deleteIfExists(w);
                    }
                }
            }
        }
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
            try {
                timer.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
