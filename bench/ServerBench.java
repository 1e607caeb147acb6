import dev.finetune4j.server.LocalServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Server latency benchmark, run by bench/server-bench as a single-file program: latency of
 * GET /v1/fine_tuning/jobs/{id} while the job is paused (idle) and while it trains.
 *   ServerBench [--seconds S] [--clients C] [--threads T] [--model nano]
 * T is the number of training threads (default: all cores). Prints one line per phase:
 *   phase=idle requests=... rps=... p50_ms=... p90_ms=... p99_ms=... max_ms=... train_steps_per_s=...
 */
public class ServerBench {
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static String base;
    static String key;

    public static void main(String[] args) throws Exception {
        int seconds = 15;
        int clients = 4;
        int threads = Runtime.getRuntime().availableProcessors();
        String model = "nano";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--clients" -> clients = Integer.parseInt(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--model" -> model = args[++i];
                default -> {
                    System.err.println("usage: ServerBench [--seconds S] [--clients C] [--threads T] [--model nano]");
                    System.exit(2);
                }
            }
        }
        Path dir = Files.createTempDirectory("ftserver-bench");
        try (LocalServer server = LocalServer.builder().dataDir(dir).trainingThreads(threads).start()) {
            base = server.baseUrl();
            key = server.apiKey();
            String file = upload(dataset(dir));
            String job = field(post("/fine_tuning/jobs", "{\"model\":\"" + model + "\",\"training_file\":\"" + file
                    + "\",\"seed\":1,\"hyperparameters\":{\"n_epochs\":50,\"batch_size\":4}}"), "id");
            while (!get("/fine_tuning/jobs/" + job + "/events?limit=1").contains("\"type\":\"metrics\"")) Thread.sleep(50);
            post("/fine_tuning/jobs/" + job + "/pause", "");
            Thread.sleep(1000);
            System.out.printf("machine: %d cores, java %s; %d client threads, %d training threads, model %s%n",
                    Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), clients, threads, model);
            measure("warmup", job, clients, Math.max(2, seconds / 3));
            measure("idle", job, clients, seconds);
            post("/fine_tuning/jobs/" + job + "/resume", "");
            while (!get("/fine_tuning/jobs/" + job).contains("\"status\":\"running\"")) Thread.sleep(20);
            Thread.sleep(1000);
            measure("training", job, clients, seconds);
            post("/fine_tuning/jobs/" + job + "/cancel", "");
        }
    }

    static void measure(String phase, String job, int clients, int seconds) throws Exception {
        long stepsBefore = lastStep(job);
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        List<long[]> perThread = new ArrayList<>();
        AtomicLong errors = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            long[] samples = new long[2_000_000];
            perThread.add(samples);
            Thread t = new Thread(() -> {
                int n = 0;
                while (System.nanoTime() < end && n < samples.length) {
                    long t0 = System.nanoTime();
                    try {
                        HttpResponse<String> r = HTTP.send(request("/fine_tuning/jobs/" + job).GET().build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() != 200) errors.incrementAndGet();
                    } catch (IOException | InterruptedException e) {
                        errors.incrementAndGet();
                    }
                    samples[n++] = System.nanoTime() - t0;
                }
                samples[samples.length - 1] = n;
            });
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) t.join();
        int total = 0;
        for (long[] s : perThread) total += (int) s[s.length - 1];
        long[] all = new long[total];
        int k = 0;
        for (long[] s : perThread) {
            int n = (int) s[s.length - 1];
            System.arraycopy(s, 0, all, k, n);
            k += n;
        }
        Arrays.sort(all);
        double steps = (lastStep(job) - stepsBefore) / (double) seconds;
        System.out.printf("phase=%s requests=%d errors=%d rps=%.0f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f"
                        + " train_steps_per_s=%.1f%n", phase, total, errors.get(), total / (double) seconds,
                pct(all, 0.50), pct(all, 0.90), pct(all, 0.99), all.length == 0 ? 0 : all[all.length - 1] / 1e6, steps);
    }

    static double pct(long[] sorted, double p) {
        if (sorted.length == 0) return 0;
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
    }

    static long lastStep(String job) throws Exception {
        Matcher m = Pattern.compile("\"step\":(\\d+)").matcher(get("/fine_tuning/jobs/" + job + "/events?limit=5"));
        long max = 0;
        while (m.find()) max = Math.max(max, Long.parseLong(m.group(1)));
        return max;
    }

    static Path dataset(Path dir) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int a = 0; a < 20; a++) {
            for (int b = 0; b < 10; b++) {
                sb.append("{\"messages\":[{\"role\":\"user\",\"content\":\"What is ").append(a).append(" + ").append(b)
                        .append("?\"},{\"role\":\"assistant\",\"content\":\"").append(a + b).append("\"}]}\n");
            }
        }
        Path file = dir.resolve("bench.jsonl");
        Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
        return file;
    }

    static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + key);
    }

    static String get(String path) throws Exception {
        return HTTP.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    static String post(String path, String json) throws Exception {
        return HTTP.send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    static String upload(Path file) throws Exception {
        String boundary = "bench" + System.nanoTime();
        byte[] content = Files.readAllBytes(file);
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nfine-tune\r\n--"
                + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"bench.jsonl\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[head.length + content.length + tail.length];
        System.arraycopy(head, 0, body, 0, head.length);
        System.arraycopy(content, 0, body, head.length, content.length);
        System.arraycopy(tail, 0, body, head.length + content.length, tail.length);
        String answer = HTTP.send(request("/files").header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString()).body();
        return field(answer, "id");
    }

    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]+)\"").matcher(json);
        if (!m.find()) throw new IllegalStateException("no " + name + " in " + json);
        return m.group(1);
    }
}
