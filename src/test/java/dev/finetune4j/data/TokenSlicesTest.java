package dev.finetune4j.data;

import static org.assertj.core.api.Assertions.assertThat;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Long texts are counted in slices, so that jtokkit's memory stays small, with the counts of whole texts. */
class TokenSlicesTest {
    static final List<Encoding> ENCODINGS = List.of(
            Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.O200K_BASE),
            Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.CL100K_BASE));

    static String prose(int chars, long seed) {
        String[] words = {"the", "model", "answers", "Paris", "東京", "café", "naïve", "🙂", "x=42;", "(see", "below)",
                "don't", "IT'S", "3.14159", "\n", "\n\n", "  ", "\t", "--", "https://example.com/a?b=c", "ÉCOLE", "\"quoted\""};
        Random r = new Random(seed);
        StringBuilder sb = new StringBuilder();
        while (sb.length() < chars) {
            sb.append(words[r.nextInt(words.length)]);
            if (r.nextInt(4) > 0) sb.append(' ');
        }
        return sb.toString();
    }

    @Test
    void aLongTextOfWordsCountsExactlyAsAWhole() {
        for (long seed = 1; seed <= 3; seed++) {
            String text = prose(120_000, seed);
            for (Encoding e : ENCODINGS) {
                assertThat(TokenSlices.count(text, e::countTokensOrdinary)).as("%s, seed %d", e.getName(), seed)
                        .isEqualTo(e.countTokensOrdinary(text));
            }
            assertThat(O200kCounter.shared().count(text)).isEqualTo(ENCODINGS.get(0).countTokensOrdinary(text));
        }
    }

    @Test
    void aRunWithoutSpacesIsCutInsideWithinATokenPerSlice() {
        Random r = new Random(7);
        StringBuilder base64 = new StringBuilder();
        for (int i = 0; i < 100_000; i++) {
            base64.append("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".charAt(r.nextInt(64)));
        }
        for (String run : List.of("x".repeat(100_000), base64.toString())) {
            for (Encoding e : ENCODINGS) {
                int exact = e.countTokensOrdinary(run);
                assertThat(TokenSlices.count(run, e::countTokensOrdinary)).as(e.getName())
                        .isBetween(exact - 7, exact + 7); // 7 slices
            }
        }
    }

    @Test
    void aSliceNeverEndsInsideACharacter() {
        String emoji = "🙂".repeat(40_000);
        for (int from = 0; from < emoji.length(); ) {
            int to = TokenSlices.end(emoji, from);
            assertThat(Character.isHighSurrogate(emoji.charAt(to - 1))).isFalse();
            assertThat(to - from).isBetween(1, TokenSlices.SLICE_CHARS);
            from = to;
        }
    }

    @TempDir
    Path dir;

    @Test
    void aLineWithAMillionCharactersWithoutASpaceIsCountedInASmallHeap() throws Exception {
        Path file = dir.resolve("blob.jsonl");
        String ok = "{\"messages\": [{\"role\": \"user\", \"content\": \"hi %d\"}, {\"role\": \"assistant\", \"content\": \"hello\"}]}\n";
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 10; i++) text.append(String.format(ok, i));
        text.append(String.format(ok, 10).replace("hi 10", "data:" + "A".repeat(3_000_000)));
        Files.writeString(file, text, StandardCharsets.UTF_8);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // without slices, counting this line needs about 600 MB
        Process p = new ProcessBuilder(java, "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                Child.class.getName(), file.toString()).redirectErrorStream(true).start();
        boolean exited = p.waitFor(120, TimeUnit.SECONDS);
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!exited) p.destroyForcibly();
        assertThat(exited).as(output).isTrue();
        assertThat(output).startsWith("Line 11: the example has ").contains("tokens, more than the 65,536-token limit");
        assertThat(p.exitValue()).as(output).isZero();
    }

    /** Runs in the child JVM: validates the file with token counting and prints its first problem. */
    public static final class Child {
        public static void main(String[] args) {
            ValidationReport r = DatasetValidator.forMethod(Method.SUPERVISED).model("gpt-4o-mini").validate(Path.of(args[0]));
            System.out.println(r.problems().isEmpty() ? "no problem" : r.problems().get(0).message());
        }
    }
}
