package dev.finetune4j.data;

import static org.assertj.core.api.Assertions.assertThat;

import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The hand-written o200k_base cutting against the pattern itself, and the memoised count against jtokkit's. */
class O200kPiecesTest {
    /** o200k_base's pattern, as jtokkit compiles it (Unicode character classes). */
    static final Pattern O200K = Pattern.compile(String.join("|",
            "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?",
            "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]+[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?",
            "\\p{N}{1,3}", " ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*", "\\s*[\\r\\n]+", "\\s+(?!\\S)", "\\s+"),
            Pattern.UNICODE_CHARACTER_CLASS);

    /** Letters of every class the pattern tells apart, marks, numbers, spaces, breaks, contractions, surrogates. */
    static final String[] ALPHABET = {"a", "z", "A", "Q", "é", "É", "ß", "ǅ", "ʰ", "ª", "東", "京", "ا", "ש", "\u0301", "\u0903",
            "\u20DD", "0", "7", "٣", "Ⅻ", "½", "²", " ", " ", " ", "\t", "\n", "\r", "\r\n", "\u000B", "\u00A0", "\u2028", "\u2029",
            "\u0085", "\u3000", "\u200B", "\u001F", "'", "'s", "'S", "'ſ", "'t", "'re", "'RE", "'ve", "'m", "'ll", "'lL", "'d", "'x",
            ".", ",", "!", "?", "/", "//", "-", "_", "\"", "\\", "€", "$", "(", ")", "🙂", "👍🏽", "\uD83D", "\uDE42", "\uFFFD", "\u0000"};

    static List<String> regexPieces(String text) {
        List<String> pieces = new ArrayList<>();
        Matcher m = O200K.matcher(text);
        while (m.find()) {
            pieces.add(m.group());
        }
        return pieces;
    }

    static List<String> ourPieces(String text) {
        List<String> pieces = new ArrayList<>();
        for (int i = 0; i < text.length(); ) {
            int end = O200kPieces.end(text, i);
            if (end < 0) {
                i = -end;
                continue;
            }
            pieces.add(text.substring(i, end));
            i = end;
        }
        return pieces;
    }

    static String randomText(Random rnd) {
        StringBuilder s = new StringBuilder();
        int n = 1 + rnd.nextInt(14);
        for (int k = 0; k < n; k++) {
            s.append(ALPHABET[rnd.nextInt(ALPHABET.length)]);
        }
        return s.toString();
    }

    @Test
    void cutsRandomTextExactlyAsThePattern() {
        Random rnd = new Random(11);
        for (int round = 0; round < 300_000; round++) {
            String text = randomText(rnd);
            assertThat(ourPieces(text)).as("%s", text.codePoints().mapToObj(c -> String.format("U+%04X", c)).toList())
                    .isEqualTo(regexPieces(text));
        }
    }

    @Test
    void cutsEveryCharacterAfterEachOtherClassAsThePattern() {
        // each code point of the Basic Multilingual Plane and some beyond, alone and between two neighbours
        List<String> text = new ArrayList<>();
        for (int c = 0; c < 0x30000; c += c < 0x10000 ? 1 : 97) {
            if (Character.isDefined(c) || Character.isSurrogate((char) c)) {
                text.add(new String(Character.toChars(c)));
            }
        }
        String[] neighbours = {"a", "A", " ", "\n", "1", "'", ".", "\u0301", "ʰ"};
        for (String mid : text) {
            for (String left : neighbours) {
                for (String right : neighbours) {
                    String s = left + mid + right;
                    assertThat(ourPieces(s)).as("%s", s).isEqualTo(regexPieces(s));
                }
            }
        }
    }

    @Test
    void countsAsJtokkitOnTrainingText() throws IOException {
        Encoding encoding = TokenCounter.Registry.INSTANCE.getEncoding(EncodingType.O200K_BASE);
        TokenCounter counter = TokenCounter.of(EncodingType.O200K_BASE);
        assertThat(counter).isInstanceOf(O200kCounter.class);
        assertThat(counter.name()).isEqualTo("o200k_base");
        List<String> texts = new ArrayList<>(Files.readAllLines(Path.of("data/sample_train.jsonl")));
        texts.add("Hello, world! It's 2026 — don't panic.\n\n  Café 東京 🙂 \r\n\tx  ");
        // pieces too long to be remembered
        texts.add("aGVsbG8gd29ybGQ".repeat(20) + " " + " ".repeat(100) + "x" + "!?".repeat(50));
        Random rnd = new Random(5);
        for (int i = 0; i < 20_000; i++) {
            texts.add(randomText(rnd) + " " + randomText(rnd));
        }
        long ours = 0;
        long theirs = 0;
        for (int pass = 0; pass < 2; pass++) { // the second pass counts from the memo
            for (String t : texts) {
                int expected = encoding.countTokensOrdinary(t);
                assertThat(counter.count(t)).as(t).isEqualTo(expected);
                ours += counter.count(t);
                theirs += expected;
            }
        }
        assertThat(ours).isEqualTo(theirs).isGreaterThan(100_000);
    }
}
