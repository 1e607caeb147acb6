/**
 * Dataset tools for training JSONL: {@link dev.finetune4j.data.DatasetValidator} checks supervised, DPO and
 * reinforcement files (and legacy prompt/completion ones) streaming, with every problem's line, field, category and
 * fix, token counts in the model's encoding, statistics and a training estimate; the local server runs the same
 * validator before a job trains. {@link dev.finetune4j.data.DatasetCleaner} writes the lines that can train,
 * {@link dev.finetune4j.data.DatasetSplit} splits a file without leakage, and
 * {@link dev.finetune4j.data.ChatConverter} builds chats from a table, a CSV or flat records. Example:
 * {@code DatasetValidator.forMethod(Method.SUPERVISED).model("gpt-4o-mini").validate(Path.of("train.jsonl"))}.
 *
 * <p>Reading order: the rules live in {@code ExampleRules}, which checks the {@code ExampleFacts} of one line;
 * {@code ExampleScanner} gathers those facts with Jackson's streaming parser, and {@code ChunkValidator} runs the
 * checks over a chunk of lines. Some classes exist for speed only and can be skipped on a first read:
 * {@code FastExampleScanner} (the same facts straight from the bytes, for lines without token counting; a
 * differential test holds it to Jackson), {@code FileChunks} and {@code ChunkReader} (a file or a stream cut at line ends for the validating threads),
 * {@code LineHash} and {@code LongIntMap} (the duplicate table), {@code KeyList} and {@code TokenCodes} (facts kept
 * as ints, not references, in the objects reused for every line), {@code O200kPieces} and {@code TokenSlices} (token
 * counting in bounded memory).
 */
package dev.finetune4j.data;
