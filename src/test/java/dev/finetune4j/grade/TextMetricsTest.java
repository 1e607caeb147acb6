package dev.finetune4j.grade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * Reference values come from rapidfuzz 3.14 ({@code fuzz.ratio / 100}) and nltk 3.10 ({@code corpus_bleu} with
 * {@code SmoothingFunction().method1}, {@code sentence_gleu}, and {@code meteor_score}'s own functions restricted
 * to the exact-match stage); the comments redo the arithmetic by hand.
 */
class TextMetricsTest {
    private static final Offset<Double> EPS = within(1e-12);
    private static final String CAT = "the cat sat on the mat";
    private static final String CAT_IS = "the cat is on the mat";

    @Test
    void fuzzyMatchIsTheNormalizedIndelSimilarity() {
        // LCS("the cat sat on the mat", "the cat is on the mat") = 20 characters; 2 * 20 / (22 + 21)
        assertThat(TextMetrics.fuzzyMatch(CAT, CAT_IS)).isCloseTo(40.0 / 43, EPS).isCloseTo(0.9302325581395349, EPS);
        assertThat(TextMetrics.fuzzyMatch("hello world", "goodbye moon")).isCloseTo(0.26086956521739135, EPS);
        assertThat(TextMetrics.fuzzyMatch("abc", "abc")).isEqualTo(1.0);
        assertThat(TextMetrics.fuzzyMatch("", "")).isEqualTo(1.0);
        assertThat(TextMetrics.fuzzyMatch("a", "")).isEqualTo(0.0);
        // code points, not UTF-16 units: one emoji against itself plus one letter
        assertThat(TextMetrics.fuzzyMatch("\uD83D\uDE00", "\uD83D\uDE00a")).isCloseTo(2.0 / 3, EPS);
    }

    @Test
    void bitParallelLcsAgreesWithTheTableOnLongStrings() {
        java.util.Random random = new java.util.Random(7);
        for (int trial = 0; trial < 20; trial++) {
            int[] a = random.ints(64 + random.nextInt(200), 'a', 'e').toArray();
            int[] b = random.ints(1 + random.nextInt(300), 'a', 'e').toArray();
            assertThat(TextMetrics.lcsLength(a, b)).isEqualTo(tableLcs(a, b));
        }
    }

    private static int tableLcs(int[] a, int[] b) {
        int[][] t = new int[a.length + 1][b.length + 1];
        for (int i = 1; i <= a.length; i++) {
            for (int j = 1; j <= b.length; j++) {
                t[i][j] = a[i - 1] == b[j - 1] ? t[i - 1][j - 1] + 1 : Math.max(t[i - 1][j], t[i][j - 1]);
            }
        }
        return t[a.length][b.length];
    }

    @Test
    void bleuIsBleu4WithBrevityPenaltyAndEpsilonSmoothing() {
        // p1 = 5/6, p2 = 3/5, p3 = 1/4, p4 = 0/3 -> 0.1/3; equal lengths so BP = 1
        double expected = Math.pow(5.0 / 6 * 3.0 / 5 * 1.0 / 4 * 0.1 / 3, 0.25);
        assertThat(TextMetrics.bleu(CAT, CAT_IS)).isCloseTo(expected, EPS).isCloseTo(0.25406637407730737, EPS);
        assertThat(TextMetrics.bleu("a b c d", "a b c d")).isCloseTo(1.0, EPS);
        // all precisions 1 (p3, p4 smoothed: 0.1/1), BP = exp(1 - 6/2)
        assertThat(TextMetrics.bleu("the cat", CAT)).isCloseTo(Math.exp(1 - 3.0) * Math.pow(0.1 * 0.1, 0.25), EPS)
                .isCloseTo(0.04279677428117006, EPS);
        assertThat(TextMetrics.bleu("on the mat the cat sat", CAT)).isCloseTo(0.33980884896942454, EPS);
        assertThat(TextMetrics.bleu("hello world", "goodbye moon")).isEqualTo(0.0);
        assertThat(TextMetrics.bleu("", CAT)).isEqualTo(0.0);
        assertThat(TextMetrics.bleu("The cat", "the cat")).isLessThan(1.0); // case-sensitive
    }

    @Test
    void gleuPoolsNgramsOfOrdersOneToFour() {
        // candidate n-grams 6+5+4+3 = 18, reference 18; matches 5 + 3 + 1 + 0 = 9
        assertThat(TextMetrics.gleu(CAT, CAT_IS)).isCloseTo(0.5, EPS);
        assertThat(TextMetrics.gleu("the quick brown fox jumps over the lazy dog",
                "the quick brown fox jumped over the lazy dog")).isCloseTo(2.0 / 3, EPS);
        // candidate 2+1 = 3 n-grams, reference 6+5+4+3 = 18, matches 3
        assertThat(TextMetrics.gleu("the cat", CAT)).isCloseTo(1.0 / 6, EPS);
        assertThat(TextMetrics.gleu("", "")).isEqualTo(0.0);
    }

    @Test
    void meteorUsesExactMatchesAndTheFragmentationPenalty() {
        // 5 matches in 2 chunks ("the cat", "on the mat"): P = 5/6, R = 5/6, Fmean = 5/6,
        // penalty = 0.5 * (2/5)^3 = 0.032 -> 0.968 * 5/6
        assertThat(TextMetrics.meteor(CAT, CAT_IS)).isCloseTo(0.968 * 5 / 6, EPS).isCloseTo(0.8066666666666666, EPS);
        // identical 4 words: one chunk, penalty 0.5 * (1/4)^3
        assertThat(TextMetrics.meteor("a b c d", "A B C D")).isCloseTo(1 - 0.5 / 64, EPS);
        assertThat(TextMetrics.meteor("on the mat the cat sat", CAT)).isCloseTo(0.7106481481481481, EPS);
        assertThat(TextMetrics.meteor("the cat", CAT)).isCloseTo(0.17857142857142855, EPS);
        // no stemming: "cats" does not match "cat"
        assertThat(TextMetrics.meteor("cats", "cat")).isEqualTo(0.0);
    }

    @Test
    void rougeScoresAreFMeasuresOnRougeScoreTokens() {
        // unigrams: 5 of 6 on both sides -> F = 5/6
        assertThat(TextMetrics.rougeN(CAT, CAT_IS, 1)).isCloseTo(5.0 / 6, EPS);
        // bigrams: "the cat", "on the", "the mat" = 3 of 5 each
        assertThat(TextMetrics.rougeN(CAT, CAT_IS, 2)).isCloseTo(0.6, EPS);
        // trigrams: "on the mat" = 1 of 4 each
        assertThat(TextMetrics.rougeN(CAT, CAT_IS, 3)).isCloseTo(0.25, EPS);
        assertThat(TextMetrics.rougeN(CAT, CAT_IS, 4)).isEqualTo(0.0);
        // LCS "the cat on the mat" = 5 of 6
        assertThat(TextMetrics.rougeL(CAT, CAT_IS)).isCloseTo(5.0 / 6, EPS);
        // "the cat" vs 6 tokens: P = 1, R = 2/6 -> F = 2 * (1/3) / (4/3) = 0.5
        assertThat(TextMetrics.rougeN("the cat", CAT, 1)).isCloseTo(0.5, EPS);
        // LCS of a reordering: "the cat sat" (3): P = R = 1/2
        assertThat(TextMetrics.rougeL("on the mat the cat sat", CAT)).isCloseTo(0.5, EPS);
        // tokenizer: lower case, punctuation separates, non-ASCII letters are dropped as rouge-score does
        assertThat(TextMetrics.rougeN("Hello, World!", "hello world", 1)).isEqualTo(1.0);
        assertThat(TextMetrics.rougeTokens("Café au-lait 42")).containsExactly("caf", "au", "lait", "42");
        assertThat(TextMetrics.rougeN("a b c d e f", "a b c d e f", 5)).isEqualTo(1.0);
        assertThat(TextMetrics.rougeN("", "", 1)).isEqualTo(0.0);
        assertThat(TextMetrics.rougeL("", "x")).isEqualTo(0.0);
    }
}
