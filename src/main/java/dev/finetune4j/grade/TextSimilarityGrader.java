package dev.finetune4j.grade;

import java.util.Locale;

/**
 * Scores the rendered {@code input} against the rendered {@code reference} with a similarity metric in [0, 1]
 * (see {@link TextMetrics}). The API's {@code cosine} metric is not offered here: it needs an embeddings model
 * and the hosted service allows it only in evals.
 */
public record TextSimilarityGrader(String name, Template input, Template reference, Metric evaluationMetric)
        implements Grader {
    public static final String TYPE = "text_similarity";

    /** The metrics this implementation computes. */
    public enum Metric {
        FUZZY_MATCH, BLEU, GLEU, METEOR, ROUGE_1, ROUGE_2, ROUGE_3, ROUGE_4, ROUGE_5, ROUGE_L;

        /** The wire value, e.g. {@code fuzzy_match}, {@code rouge_l}. */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The score of a candidate against a reference. */
        public double score(String candidate, String reference) {
            switch (this) {
                case FUZZY_MATCH: return TextMetrics.fuzzyMatch(candidate, reference);
                case BLEU: return TextMetrics.bleu(candidate, reference);
                case GLEU: return TextMetrics.gleu(candidate, reference);
                case METEOR: return TextMetrics.meteor(candidate, reference);
                case ROUGE_L: return TextMetrics.rougeL(candidate, reference);
                default: return TextMetrics.rougeN(candidate, reference, ordinal() - ROUGE_1.ordinal() + 1);
            }
        }
    }

    @Override
    public String type() {
        return TYPE;
    }
}
