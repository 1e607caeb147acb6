import dev.finetune4j.data.DatasetValidator;
import dev.finetune4j.data.Method;
import dev.finetune4j.data.ValidationReport;
import java.io.BufferedOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Dataset benchmark, run by bench/data-bench as a single-file program.
 *   generate FILE MB        writes a supervised chat JSONL of about MB megabytes (deterministic, seed 42)
 *   validate FILE [TOKEN_MB [THREADS]]  validates FILE without token counting, then its first TOKEN_MB with jtokkit
 *                            counting; prints "key=value" lines for bench/data-bench (THREADS 0: the default)
 */
public class DataBench {
    private static final String[] WORDS = ("the of and to in is that for it as was with be by on not he this are or his from at which but have an they you "
            + "were her she there been one all we their has would when if so no will more can about said what up out time them some could into two then "
            + "model data train token batch epoch loss learning rate gradient layer weight attention vector matrix file line json error value answer "
            + "question user assistant system tool function call argument result Paris Berlin 東京 café naïve résumé 42 3.14 2024 🙂").split(" ");

    public static void main(String[] args) throws IOException {
        if (args.length >= 3 && args[0].equals("generate")) {
            generate(Path.of(args[1]), Long.parseLong(args[2]) * 1_000_000L);
        } else if (args.length >= 2 && args[0].equals("validate")) {
            long tokenMb = args.length >= 3 ? Long.parseLong(args[2]) : 200;
            int threads = args.length >= 4 ? Integer.parseInt(args[3]) : 0;
            validate(Path.of(args[1]), tokenMb, threads);
        } else {
            System.err.println("usage: DataBench generate FILE MB | validate FILE [TOKEN_MB]");
            System.exit(2);
        }
    }

    static void generate(Path file, long bytes) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Random rnd = new Random(42);
        long written = 0;
        long n = 0;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            StringBuilder line = new StringBuilder(4096);
            while (written < bytes) {
                line.setLength(0);
                line.append("{\"messages\": [{\"role\": \"system\", \"content\": \"You are a helpful assistant for example ").append(n++).append(".\"}");
                int turns = 1 + rnd.nextInt(3);
                for (int t = 0; t < turns; t++) {
                    line.append(", {\"role\": \"user\", \"content\": \"");
                    words(line, rnd, 5 + rnd.nextInt(40));
                    line.append("?\"}, {\"role\": \"assistant\", \"content\": \"");
                    words(line, rnd, 10 + rnd.nextInt(150));
                    line.append(".\"");
                    if (t < turns - 1 && rnd.nextInt(4) == 0) {
                        line.append(", \"weight\": 0");
                    }
                    line.append('}');
                }
                line.append("]}\n");
                byte[] b = line.toString().getBytes(StandardCharsets.UTF_8);
                out.write(b);
                written += b.length;
            }
        }
        System.out.printf("generated %s: %,d bytes, %,d examples%n", file, written, n);
    }

    private static void words(StringBuilder sb, Random rnd, int count) {
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                sb.append(rnd.nextInt(12) == 0 ? ", " : " ");
            }
            String w = WORDS[rnd.nextInt(WORDS.length)];
            sb.append(w);
            if (rnd.nextInt(40) == 0) {
                sb.append("\\n\\\"quoted\\\"");
            }
        }
    }

    static void validate(Path file, long tokenMb, int threads) throws IOException {
        long size = Files.size(file);
        DatasetValidator noTokens = DatasetValidator.forMethod(Method.SUPERVISED).countTokens(false);
        if (threads > 0) {
            noTokens.threads(threads);
        }
        long cpu0 = processCpuNanos();
        ValidationReport plain = noTokens.minExamples(1).validate(file);
        long cpu = processCpuNanos() - cpu0;
        if (plain.bytes() != size) {
            throw new IllegalStateException("validated " + plain.bytes() + " bytes of a " + size + "-byte file");
        }
        double plainMbps = plain.bytes() / 1e6 / (plain.millis() / 1000.0);
        double plainCpuMbps = plain.bytes() / 1e6 / (cpu / 1e9);
        System.out.printf("java, no token counting: %,d bytes, %,d examples, %,d ms, %,d ms CPU -> %.1f MB/s (%s)%n",
                plain.bytes(), plain.examples(), plain.millis(), cpu / 1_000_000, plainMbps, plain.summary());
        // the same again in the now warm JVM: the steady speed, without JIT compilation
        long warmCpu0 = processCpuNanos();
        ValidationReport warm = noTokens.validate(file);
        long warmCpu = processCpuNanos() - warmCpu0;
        double warmMbps = warm.bytes() / 1e6 / (warm.millis() / 1000.0);
        double warmCpuMbps = warm.bytes() / 1e6 / (warmCpu / 1e9);
        System.out.printf("java, no token counting, second pass (warm JVM): %,d ms, %,d ms CPU -> %.1f MB/s%n",
                warm.millis(), warmCpu / 1_000_000, warmMbps);
        double tokensMbps = tokenMb > 0 ? countTokens(file, size, tokenMb, threads) : 0;
        System.out.printf("java_no_tokens_mbps=%.1f%njava_no_tokens_cpu_mbps=%.1f%njava_warm_mbps=%.1f%njava_warm_cpu_mbps=%.1f%njava_tokens_mbps=%.1f%n",
                plainMbps, plainCpuMbps, warmMbps, warmCpuMbps, tokensMbps);
    }

    /** Validates the first {@code tokenMb} MB with o200k_base token counting and returns its MB/s. */
    private static double countTokens(Path file, long size, long tokenMb, int threads) throws IOException {
        // built only now: loading the o200k_base tables takes heap the first run must not carry
        DatasetValidator tokens = DatasetValidator.forMethod(Method.SUPERVISED).model("gpt-4o-mini");
        if (threads > 0) {
            tokens.threads(threads);
        }
        long limit = Math.min(size, tokenMb * 1_000_000L);
        ValidationReport counted = run(tokens, new Prefix(Files.newInputStream(file), limit));
        double tokensMbps = counted.bytes() / 1e6 / (counted.millis() / 1000.0);
        System.out.printf("java, o200k_base token counting (first %,d MB): %,d examples, %,d ms -> %.1f MB/s, %,d tokens%n",
                limit / 1_000_000, counted.examples(), counted.millis(), tokensMbps,
                counted.stats().distribution(dev.finetune4j.data.DatasetStats.Metric.TOKENS).sum());
        return tokensMbps;
    }

    /** CPU time of the whole JVM (all threads, JIT and GC included). */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static ValidationReport run(DatasetValidator validator, InputStream in) throws IOException {
        try (in) {
            return validator.minExamples(1).validate(in);
        }
    }

    /** The first {@code limit} bytes of a stream, cut at a line end. */
    static final class Prefix extends FilterInputStream {
        private long left;
        private boolean done;

        Prefix(InputStream in, long limit) {
            super(in);
            this.left = limit;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (done) {
                return -1;
            }
            int n = super.read(b, off, len);
            if (n <= 0) {
                return n;
            }
            if (left > n) {
                left -= n;
                return n;
            }
            // past the limit: stop at the first newline from here on
            int start = (int) Math.max(0, left);
            for (int i = off + start; i < off + n; i++) {
                if (b[i] == '\n') {
                    done = true;
                    return i - off + 1;
                }
            }
            left -= n;
            return n;
        }
    }
}
