package dev.finetune4j.notebook;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.finetuning.jobs.FineTuningJobEvent;
import com.openai.models.finetuning.jobs.JobListEventsPage;
import com.openai.models.finetuning.jobs.JobListEventsParams;
import dev.finetune4j.api.FineTuningJob;
import dev.finetune4j.api.JobStatus;
import dev.finetune4j.client.JobListParams;
import dev.finetune4j.server.LocalServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

/**
 * How long {@code run.metrics()} takes, and how many requests it makes, for a job with 10,000 metric events,
 * next to listing the same events with the official openai-java SDK on the same local server. Not part of the
 * test run (the class name does not end in Test); run it with {@code bench/notebook-events}.
 *
 * <p>The job is trained for real once (200 tiny examples, batch 1, 50 epochs = 10,000 steps; about 15 minutes on
 * two cores) and kept in {@code target/bench/events} (or {@code -Dbench.dir=DIR}) for later runs.
 */
class EventReadBenchmark {
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 7);
    private static final String TAG = "events-10k";

    @Test
    void metricsOfATenThousandStepJob() throws Exception {
        System.setProperty("finetune4j.progress", "line");
        Path dir = Path.of(System.getProperty("bench.dir", "target/bench/events")).toAbsolutePath();
        try (LocalServer server = LocalServer.start(dir.resolve("server"));
             FineTune ft = FineTune.connect(server.baseUrl(), server.apiKey())) {
            String jobId = benchJob(ft, dir);
            OpenAIClient sdk = OpenAIOkHttpClient.builder().baseUrl(server.baseUrl()).apiKey(server.apiKey()).build();

            List<Reader> readers = List.of(
                    new Reader("finetune4j run.metrics()", () -> {
                        Run run = ft.run(jobId);
                        Table t = run.metrics();
                        return new Result(t.rowCount(), run.eventRequests() + 1); // + the retrieve of ft.run
                    }),
                    new Reader("openai-java listEvents, default limit (20)", () -> sdkList(sdk, jobId, null)),
                    new Reader("openai-java listEvents, limit 100", () -> sdkList(sdk, jobId, 100L)),
                    new Reader("openai-java listEvents, limit 10000", () -> sdkList(sdk, jobId, 10_000L)));

            for (Reader r : readers) r.once(); // warm-up: class loading and JIT on both sides
            for (int round = 0; round < ROUNDS; round++) {
                for (Reader r : readers) r.once();
            }
            Reader ours = readers.get(0);
            System.out.printf(Locale.ROOT, "job %s: %d metric rows%n", jobId, ours.last.items);
            for (Reader r : readers) {
                System.out.printf(Locale.ROOT, "%-45s median %8.1f ms  best %8.1f ms  %5d requests  %6d items  sdk/ours %6.2fx%n",
                        r.name, r.median(), r.best(), r.last.requests, r.last.items, r.median() / ours.median());
            }
            assertThat(ours.last.items).isGreaterThanOrEqualTo(10_000);
            sdk.close();
        }
    }

    /** The 10,000-step job, trained once and found again by its metadata. */
    private static String benchJob(FineTune ft, Path dir) throws Exception {
        List<FineTuningJob> tagged = ft.client().fineTuning().jobs().list(JobListParams.builder().limit(100)
                .metadata(Map.of("bench", TAG)).build()).stream().toList();
        String found = tagged.stream().filter(j -> JobStatus.SUCCEEDED.equals(j.status())).map(FineTuningJob::id)
                .findFirst().orElse(null);
        if (found == null) {
            // one still training (a run stopped half-way resumes when the server starts again)
            found = tagged.stream().filter(j -> !j.isTerminal()).map(FineTuningJob::id).findFirst().orElse(null);
            if (found != null) return ft.run(found).await().id();
        }
        // nothing else may train while the benchmark measures
        for (FineTuningJob j : tagged) if (!j.isTerminal() && !j.id().equals(found)) ft.run(j.id()).cancel();
        if (found != null) return found;
        Path data = dir.resolve("tiny200.jsonl");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            sb.append("{\"messages\":[{\"role\":\"user\",\"content\":\"").append(i).append("?\"},")
                    .append("{\"role\":\"assistant\",\"content\":\"").append(i % 10).append("\"}]}\n");
        }
        Files.createDirectories(dir);
        Files.writeString(data, sb);
        System.out.println("training the benchmark job once: 10,000 steps of nano (kept in " + dir + ")");
        return ft.job("nano").train(data).epochs(50).batchSize(1).seed(1).metadata("bench", TAG)
                .create().await().id();
    }

    /** Lists every event with the SDK, page by page as its auto-pager does, counting the requests. */
    private static Result sdkList(OpenAIClient sdk, String jobId, Long limit) {
        JobListEventsParams.Builder p = JobListEventsParams.builder().fineTuningJobId(jobId);
        if (limit != null) p.limit(limit);
        JobListEventsPage page = sdk.fineTuning().jobs().listEvents(p.build());
        List<FineTuningJobEvent> all = new ArrayList<>(page.data());
        long requests = 1;
        while (page.hasNextPage()) {
            page = page.nextPage();
            requests++;
            all.addAll(page.data());
        }
        long metrics = all.stream().filter(e -> e.type().map(t -> t.asString().equals("metrics")).orElse(false)).count();
        return new Result(metrics, requests);
    }

    private record Result(long items, long requests) {}

    private interface Call {
        Result run() throws Exception;
    }

    private static final class Reader {
        final String name;
        final Call call;
        final List<Double> millis = new ArrayList<>();
        Result last;

        Reader(String name, Call call) {
            this.name = name;
            this.call = call;
        }

        void once() throws Exception {
            long t0 = System.nanoTime();
            last = call.run();
            millis.add((System.nanoTime() - t0) / 1e6);
        }

        double median() {
            double[] m = millis.stream().skip(1).mapToDouble(Double::doubleValue).sorted().toArray();
            return m[m.length / 2];
        }

        double best() {
            return millis.stream().skip(1).mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
        }
    }
}
