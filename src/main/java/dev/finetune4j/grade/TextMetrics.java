package dev.finetune4j.grade;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The text-similarity metrics of the {@code text_similarity} grader, each a score in [0, 1] of a candidate text
 * (the rendered {@code input}) against a reference. They follow the Python libraries the hosted graders are
 * documented with, so scores agree with them on the same text:
 * <ul>
 *   <li>{@link #fuzzyMatch}: rapidfuzz {@code fuzz.ratio / 100}, the normalized Indel similarity of the two
 *       strings (Unicode code points, no preprocessing).</li>
 *   <li>{@link #bleu}: nltk {@code corpus_bleu} on one sentence pair: BLEU-4 with uniform weights and the
 *       brevity penalty, tokens split on whitespace, case-sensitive. Orders without a match are smoothed as
 *       nltk's {@code SmoothingFunction().method1} does (numerator 0.1 instead of 0, Chen and Cherry 2014), so
 *       short sentences do not score 0 just for lacking a 4-gram; no unigram match at all still scores 0.</li>
 *   <li>{@link #gleu}: nltk {@code sentence_gleu}: n-grams of orders 1 to 4 pooled, matches divided by the
 *       larger of the candidate and reference n-gram counts; whitespace tokens, case-sensitive.</li>
 *   <li>{@link #meteor}: nltk {@code meteor_score} with alpha 0.9, beta 3, gamma 0.5, lower-cased whitespace
 *       tokens, using <b>exact word matches only</b>: nltk's stemming and WordNet synonym stages are not
 *       applied, so "cats" does not match "cat".</li>
 *   <li>{@link #rougeN} and {@link #rougeL}: rouge-score's {@code fmeasure} with its default tokenizer (lower
 *       case, runs of characters other than a-z and 0-9 are separators, no stemming).</li>
 * </ul>
 */
public final class TextMetrics {
    private static final Pattern WHITESPACE = Pattern.compile("\\s+", Pattern.UNICODE_CHARACTER_CLASS);
    private static final Pattern NON_ALPHANUMERIC = Pattern.compile("[^a-z0-9]+");
    private static final double BLEU_EPSILON = 0.1;
    private static final double METEOR_ALPHA = 0.9;
    private static final double METEOR_BETA = 3.0;
    private static final double METEOR_GAMMA = 0.5;

    private TextMetrics() {}

    /** rapidfuzz {@code ratio / 100}: {@code 1 - indel_distance / (len1 + len2)}; two empty strings score 1. */
    public static double fuzzyMatch(String candidate, String reference) {
        int[] a = candidate.codePoints().toArray();
        int[] b = reference.codePoints().toArray();
        int total = a.length + b.length;
        if (total == 0) return 1.0;
        return 2.0 * lcsLength(a, b) / total;
    }

    /**
     * Length of the longest common subsequence by the bit-parallel algorithm of Hyyrö (2004), as rapidfuzz
     * computes it: O(len(a) * len(b) / 64), so long texts stay cheap.
     */
    static int lcsLength(int[] a, int[] b) {
        if (a.length == 0 || b.length == 0) return 0;
        if (a.length > b.length) {
            int[] t = a;
            a = b;
            b = t;
        }
        int words = (a.length + 63) >>> 6;
        Map<Integer, long[]> masks = new HashMap<>();
        for (int i = 0; i < a.length; i++) {
            masks.computeIfAbsent(a[i], k -> new long[words])[i >>> 6] |= 1L << (i & 63);
        }
        long[] s = new long[words];
        Arrays.fill(s, -1L);
        long[] none = new long[words];
        for (int c : b) {
            long[] m = masks.getOrDefault(c, none);
            long carry = 0;
            for (int w = 0; w < words; w++) {
                long u = s[w] & m[w];
                long sum = s[w] + u;
                long sumWithCarry = sum + carry;
                // carry out of (s + u + carry), computed without overflow tricks on signed longs
                carry = (Long.compareUnsigned(sum, s[w]) < 0 || Long.compareUnsigned(sumWithCarry, sum) < 0) ? 1 : 0;
                s[w] = sumWithCarry | (s[w] & ~u);
            }
        }
        int zeros = 0;
        for (int w = 0; w < words; w++) {
            long valid = (w == words - 1 && (a.length & 63) != 0) ? (1L << (a.length & 63)) - 1 : -1L;
            zeros += Long.bitCount(~s[w] & valid);
        }
        return zeros;
    }

    /** BLEU-4 of a candidate against one reference (see the class comment for tokens and smoothing). */
    public static double bleu(String candidate, String reference) {
        List<String> hyp = whitespaceTokens(candidate);
        List<String> ref = whitespaceTokens(reference);
        if (hyp.isEmpty()) return 0.0;
        double logSum = 0;
        for (int n = 1; n <= 4; n++) {
            Map<List<String>, Integer> hypCounts = ngrams(hyp, n);
            Map<List<String>, Integer> refCounts = ngrams(ref, n);
            int clipped = overlap(hypCounts, refCounts);
            int total = Math.max(1, hyp.size() - n + 1);
            if (n == 1 && clipped == 0) return 0.0;
            double precision = clipped == 0 ? BLEU_EPSILON / total : (double) clipped / total;
            logSum += 0.25 * Math.log(precision);
        }
        int c = hyp.size();
        int r = ref.size();
        double brevity = c > r ? 1.0 : Math.exp(1.0 - (double) r / c);
        return brevity * Math.exp(logSum);
    }

    /** Google-BLEU (nltk {@code sentence_gleu}, n-grams of orders 1 to 4) of a candidate against one reference. */
    public static double gleu(String candidate, String reference) {
        List<String> hyp = whitespaceTokens(candidate);
        List<String> ref = whitespaceTokens(reference);
        int matches = 0;
        int hypTotal = 0;
        int refTotal = 0;
        for (int n = 1; n <= 4; n++) {
            Map<List<String>, Integer> hypCounts = ngrams(hyp, n);
            Map<List<String>, Integer> refCounts = ngrams(ref, n);
            matches += overlap(hypCounts, refCounts);
            hypTotal += Math.max(0, hyp.size() - n + 1);
            refTotal += Math.max(0, ref.size() - n + 1);
        }
        int all = Math.max(hypTotal, refTotal);
        return all == 0 ? 0.0 : (double) matches / all;
    }

    /** METEOR with exact matches only (nltk's parameters; no stemming, no synonyms). */
    public static double meteor(String candidate, String reference) {
        List<String> hyp = whitespaceTokens(candidate.toLowerCase(Locale.ROOT));
        List<String> ref = whitespaceTokens(reference.toLowerCase(Locale.ROOT));
        if (hyp.isEmpty() || ref.isEmpty()) return 0.0;
        // nltk's greedy alignment: each candidate word, from the last, takes the last unused equal reference word
        List<int[]> matches = new ArrayList<>();
        boolean[] refUsed = new boolean[ref.size()];
        for (int i = hyp.size() - 1; i >= 0; i--) {
            for (int j = ref.size() - 1; j >= 0; j--) {
                if (!refUsed[j] && hyp.get(i).equals(ref.get(j))) {
                    refUsed[j] = true;
                    matches.add(new int[] {i, j});
                    break;
                }
            }
        }
        int m = matches.size();
        if (m == 0) return 0.0;
        matches.sort((x, y) -> Integer.compare(x[0], y[0]));
        int chunks = 1;
        for (int k = 0; k + 1 < m; k++) {
            int[] cur = matches.get(k);
            int[] next = matches.get(k + 1);
            if (!(next[0] == cur[0] + 1 && next[1] == cur[1] + 1)) chunks++;
        }
        double precision = (double) m / hyp.size();
        double recall = (double) m / ref.size();
        double fmean = precision * recall / (METEOR_ALPHA * precision + (1 - METEOR_ALPHA) * recall);
        double penalty = METEOR_GAMMA * Math.pow((double) chunks / m, METEOR_BETA);
        return (1 - penalty) * fmean;
    }

    /** ROUGE-N F-measure (n from 1 to 5 for the graders) as rouge-score computes it. */
    public static double rougeN(String candidate, String reference, int n) {
        if (n < 1) throw new IllegalArgumentException("ROUGE-N needs n >= 1, got " + n);
        Map<List<String>, Integer> target = ngrams(rougeTokens(reference), n);
        Map<List<String>, Integer> prediction = ngrams(rougeTokens(candidate), n);
        int overlap = overlap(prediction, target);
        int targetCount = target.values().stream().mapToInt(Integer::intValue).sum();
        int predictionCount = prediction.values().stream().mapToInt(Integer::intValue).sum();
        double precision = (double) overlap / Math.max(predictionCount, 1);
        double recall = (double) overlap / Math.max(targetCount, 1);
        return fmeasure(precision, recall);
    }

    /** ROUGE-L F-measure (longest common subsequence of tokens) as rouge-score computes it. */
    public static double rougeL(String candidate, String reference) {
        List<String> target = rougeTokens(reference);
        List<String> prediction = rougeTokens(candidate);
        if (target.isEmpty() || prediction.isEmpty()) return 0.0;
        int[][] table = new int[target.size() + 1][prediction.size() + 1];
        for (int i = 1; i <= target.size(); i++) {
            for (int j = 1; j <= prediction.size(); j++) {
                table[i][j] = target.get(i - 1).equals(prediction.get(j - 1)) ? table[i - 1][j - 1] + 1
                        : Math.max(table[i - 1][j], table[i][j - 1]);
            }
        }
        int lcs = table[target.size()][prediction.size()];
        return fmeasure((double) lcs / prediction.size(), (double) lcs / target.size());
    }

    /** Whitespace tokens, as Python's {@code str.split()}. */
    static List<String> whitespaceTokens(String text) {
        String stripped = text.strip();
        return stripped.isEmpty() ? List.of() : Arrays.asList(WHITESPACE.split(stripped));
    }

    /** rouge-score's default tokenizer: lower case, non-alphanumeric runs separate tokens, no stemming. */
    static List<String> rougeTokens(String text) {
        String cleaned = NON_ALPHANUMERIC.matcher(text.toLowerCase(Locale.ROOT)).replaceAll(" ").strip();
        return cleaned.isEmpty() ? List.of() : Arrays.asList(WHITESPACE.split(cleaned));
    }

    private static Map<List<String>, Integer> ngrams(List<String> tokens, int n) {
        Map<List<String>, Integer> counts = new HashMap<>();
        for (int i = 0; i + n <= tokens.size(); i++) counts.merge(tokens.subList(i, i + n), 1, Integer::sum);
        return counts;
    }

    private static int overlap(Map<List<String>, Integer> a, Map<List<String>, Integer> b) {
        int total = 0;
        for (Map.Entry<List<String>, Integer> e : a.entrySet()) {
            Integer other = b.get(e.getKey());
            if (other != null) total += Math.min(e.getValue(), other);
        }
        return total;
    }

    private static double fmeasure(double precision, double recall) {
        return precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0.0;
    }
}
