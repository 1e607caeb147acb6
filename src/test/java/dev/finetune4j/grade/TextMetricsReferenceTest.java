package dev.finetune4j.grade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.finetune4j.api.Json;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Scores of perturbed sentence pairs (mixed case, punctuation, a non-ASCII word, repeats) computed by the
 * reference Python implementations: rapidfuzz 3.14 {@code fuzz.ratio / 100}; nltk 3.10 {@code corpus_bleu} with
 * {@code SmoothingFunction().method1}, {@code sentence_gleu}, and METEOR from {@code nltk.translate.meteor_score}'s
 * exact-match alignment and chunk count; ROUGE from a line-by-line transcription of rouge-score's tokenizer,
 * {@code _score_ngrams} and {@code _score_lcs}. "h" is the candidate, "r" the reference.
 */
class TextMetricsReferenceTest {
    private static final String CASES = """
            [
            {"h": "a ran, Dog caf\u00e9 fox brown fox brown 42 sat", "r": "a ran, the Dog caf\u00e9 brown fox brown 42 sat", "fuzzy_match": 0.9047619047619048, "bleu": 0.5035337887555859, "gleu": 0.5882352941176471, "meteor": 0.8833333333333334, "rouge_1": 0.9, "rouge_2": 0.6666666666666666, "rouge_3": 0.375, "rouge_4": 0.2857142857142857, "rouge_5": 0.16666666666666666, "rouge_l": 0.9},
            {"h": "sat brown fox 42 brown The dog", "r": "sat brown brown 42 brown dog", "fuzzy_match": 0.8275862068965517, "bleu": 0.10445522730720382, "gleu": 0.3181818181818182, "meteor": 0.6098360655737705, "rouge_1": 0.7692307692307692, "rouge_2": 0.3636363636363636, "rouge_3": 0.0, "rouge_4": 0.0, "rouge_5": 0.0, "rouge_l": 0.7692307692307692},
            {"h": "dog the sat The Dog The", "r": "dog the sat ran, The Dog The", "fuzzy_match": 0.9019607843137255, "bleu": 0.28764198060873264, "gleu": 0.5454545454545454, "meteor": 0.8534621578099838, "rouge_1": 0.923076923076923, "rouge_2": 0.7272727272727272, "rouge_3": 0.4444444444444445, "rouge_4": 0.0, "rouge_5": 0.0, "rouge_l": 0.923076923076923},
            {"h": "The 42 on cat fast! mat 42 Dog The on dog a", "r": "The 42 on cat fast! mat 42 Dog The dog a", "fuzzy_match": 0.963855421686747, "bleu": 0.7691605673134586, "gleu": 0.7857142857142857, "meteor": 0.9671655126200581, "rouge_1": 0.9565217391304348, "rouge_2": 0.8571428571428572, "rouge_3": 0.7368421052631577, "rouge_4": 0.7058823529411765, "rouge_5": 0.6666666666666666, "rouge_l": 0.9565217391304348},
            {"h": "quick sat fox ran, Dog quick fox ran, fox fox", "r": "cat quick sat fox ran, Dog 42 quick fox ran, fox", "fuzzy_match": 0.8817204301075269, "bleu": 0.5954165059120786, "gleu": 0.631578947368421, "meteor": 0.6314418393929098, "rouge_1": 0.8571428571428572, "rouge_2": 0.7368421052631577, "rouge_3": 0.5882352941176471, "rouge_4": 0.39999999999999997, "rouge_5": 0.15384615384615383, "rouge_l": 0.8571428571428572},
            {"h": "fast! caf\u00e9 fast! fox fox 42 the The mat Dog cat fox", "r": "caf\u00e9 fast! fox fox 42 the The mat Dog cat fox", "fuzzy_match": 0.9375, "bleu": 0.9036020036098448, "gleu": 0.9047619047619048, "meteor": 0.9906187178914452, "rouge_1": 0.9565217391304348, "rouge_2": 0.9523809523809523, "rouge_3": 0.9473684210526316, "rouge_4": 0.9411764705882353, "rouge_5": 0.9333333333333333, "rouge_l": 0.9565217391304348},
            {"h": "a brown fast! on cat The on quick The 42 brown", "r": "a fast! on cat The on The 42 brown", "fuzzy_match": 0.85, "bleu": 0.4832697830906221, "gleu": 0.5526315789473685, "meteor": 0.9601449275362319, "rouge_1": 0.9, "rouge_2": 0.6666666666666665, "rouge_3": 0.5, "rouge_4": 0.28571428571428575, "rouge_5": 0.16666666666666666, "rouge_l": 0.9},
            {"h": "sat The caf\u00e9 Dog 42 the caf\u00e9 a", "r": "sat fox caf\u00e9 mat 42 the caf\u00e9 cat", "fuzzy_match": 0.7741935483870968, "bleu": 0.1561969968460128, "gleu": 0.3076923076923077, "meteor": 0.5575, "rouge_1": 0.625, "rouge_2": 0.2857142857142857, "rouge_3": 0.16666666666666666, "rouge_4": 0.0, "rouge_5": 0.0, "rouge_l": 0.625},
            {"h": "fast! a Dog", "r": "on a Dog", "fuzzy_match": 0.631578947368421, "bleu": 0.24028114141347542, "gleu": 0.5, "meteor": 0.625, "rouge_1": 0.6666666666666666, "rouge_2": 0.5, "rouge_3": 0.0, "rouge_4": 0.0, "rouge_5": 0.0, "rouge_l": 0.6666666666666666},
            {"h": "caf\u00e9 brown sat fast! dog cat fox quick 42", "r": "caf\u00e9 brown sat fast! dog Dog cat fox dog 42", "fuzzy_match": 0.8571428571428572, "bleu": 0.474954953300978, "gleu": 0.5294117647058824, "meteor": 0.7575757575757577, "rouge_1": 0.8421052631578948, "rouge_2": 0.7058823529411765, "rouge_3": 0.5333333333333333, "rouge_4": 0.30769230769230765, "rouge_5": 0.1818181818181818, "rouge_l": 0.8421052631578948},
            {"h": "fox ran, on 42 caf\u00e9", "r": "Dog dog fast! dog caf\u00e9 quick a ran, on sat on", "fuzzy_match": 0.375, "bleu": 0.0378731670885409, "gleu": 0.10526315789473684, "meteor": 0.14423076923076922, "rouge_1": 0.37499999999999994, "rouge_2": 0.14285714285714288, "rouge_3": 0.0, "rouge_4": 0.0, "rouge_5": 0.0, "rouge_l": 0.25000000000000006},
            {"h": "cat a The dog Dog on", "r": "cat dog on", "fuzzy_match": 0.6666666666666667, "bleu": 0.05372849659117709, "gleu": 0.16666666666666666, "meteor": 0.7744107744107744, "rouge_1": 0.6666666666666666, "rouge_2": 0.28571428571428575, "rouge_3": 0.0, "rouge_4": 0.0, "rouge_5": 0.0, "rouge_l": 0.6666666666666666},
            {"h": "", "r": "a", "fuzzy_match": 0.0, "bleu": 0.0, "gleu": 0.0, "meteor": 0.0, "rouge_1": 0.0, "rouge_2": 0.0, "rouge_3": 0.0, "rouge_4": 0.0, "rouge_5": 0.0, "rouge_l": 0.0},
            {"h": "42", "r": "fox", "fuzzy_match": 0.0, "bleu": 0.0, "gleu": 0.0, "meteor": 0.0, "rouge_1": 0.0, "rouge_2": 0.0, "rouge_3": 0.0, "rouge_4": 0.0, "rouge_5": 0.0, "rouge_l": 0.0},
            {"h": "the", "r": "42 fox quick mat fox caf\u00e9 fox caf\u00e9 a ran,", "fuzzy_match": 0.045454545454545414, "bleu": 0.0, "gleu": 0.0, "meteor": 0.0, "rouge_1": 0.0, "rouge_2": 0.0, "rouge_3": 0.0, "rouge_4": 0.0, "rouge_5": 0.0, "rouge_l": 0.0}
            ]""";

    static Stream<JsonNode> cases() {
        return StreamSupport.stream(Json.tree(CASES).spliterator(), false);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void agreesWithTheReferenceImplementations(JsonNode c) {
        String candidate = c.get("h").textValue();
        String reference = c.get("r").textValue();
        for (TextSimilarityGrader.Metric metric : TextSimilarityGrader.Metric.values()) {
            assertThat(metric.score(candidate, reference)).as(metric.wireName())
                    .isCloseTo(c.get(metric.wireName()).doubleValue(), within(1e-12));
        }
    }
}
