package dev.finetune4j.train;

import java.util.List;
import java.util.Locale;

/**
 * Shape of a GPT-2-style model: vocabulary, context length, layers, attention heads and width.
 *
 * <p>{@code GptConfig.named("nano")} gives a preset; {@code new GptConfig("x", 259, 64, 1, 2, 32)}
 * builds any shape. The vocabulary of the chat models is {@link ByteTokenizer#VOCAB_SIZE}.
 */
public record GptConfig(String name, int vocabSize, int contextLength, int layers, int heads, int dim) {

    /** Presets, smallest first; their shapes match {@code torch_tiny_gpt.py}. */
    public static final List<GptConfig> PRESETS = List.of(
            new GptConfig("nano", ByteTokenizer.VOCAB_SIZE, 128, 2, 2, 64),
            new GptConfig("micro", ByteTokenizer.VOCAB_SIZE, 256, 4, 4, 128),
            new GptConfig("mini", ByteTokenizer.VOCAB_SIZE, 512, 6, 6, 192));

    public GptConfig {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("config name is empty");
        if (vocabSize < ByteTokenizer.VOCAB_SIZE) {
            throw new IllegalArgumentException("vocabSize must be at least " + ByteTokenizer.VOCAB_SIZE + ", got " + vocabSize);
        }
        if (contextLength < 2) throw new IllegalArgumentException("contextLength must be at least 2, got " + contextLength);
        if (layers < 1) throw new IllegalArgumentException("layers must be at least 1, got " + layers);
        if (heads < 1 || dim < 1 || dim % heads != 0) {
            throw new IllegalArgumentException("dim (" + dim + ") must be a positive multiple of heads (" + heads + ")");
        }
    }

    /** A preset by name, e.g. {@code GptConfig.named("micro")}. */
    public static GptConfig named(String name) {
        String key = name.toLowerCase(Locale.ROOT);
        for (GptConfig c : PRESETS) {
            if (c.name.equals(key)) return c;
        }
        throw new IllegalArgumentException("unknown model config '" + name + "'; known: "
                + PRESETS.stream().map(GptConfig::name).toList());
    }

    /** Width of one attention head. */
    public int headDim() {
        return dim / heads;
    }

    /** Number of trainable parameters (the head is tied to {@code wte}, so it adds none). */
    public long parameterCount() {
        long c = dim;
        long perLayer = 2 * c + (c * 3 * c + 3 * c) + (c * c + c) + 2 * c + (c * 4 * c + 4 * c) + (4 * c * c + c);
        return (long) vocabSize * c + (long) contextLength * c + layers * perLayer + 2 * c;
    }
}
