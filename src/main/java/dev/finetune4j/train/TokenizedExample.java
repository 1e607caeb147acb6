package dev.finetune4j.train;

/**
 * Tokens of one example and which of them are trained targets.
 *
 * <p>{@code trained[i]} says whether the model is taught to predict {@code tokens[i]} from the tokens before it;
 * {@code trained[0]} is always false.
 */
public record TokenizedExample(int[] tokens, boolean[] trained) {

    public TokenizedExample {
        if (tokens.length != trained.length) throw new IllegalArgumentException("tokens and mask differ in length");
    }

    /** Number of tokens. */
    public int length() {
        return tokens.length;
    }

    /** Number of trained target tokens. */
    public int trainedCount() {
        int n = 0;
        for (boolean b : trained) if (b) n++;
        return n;
    }
}
