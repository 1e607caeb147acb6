package dev.finetune4j.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Reads the examples of a JSONL file one at a time, with their line numbers, by the same line rule as the
 * validator ({@link JsonlLines}); blank lines are skipped. Only the current example is in memory.
 *
 * <pre>{@code
 * try (ExampleReader reader = ExampleReader.open(path)) {
 *     for (Example e : reader) { train(e.line(), e.json()); }
 * }
 * }</pre>
 *
 * A line that is not valid JSON throws {@link DatasetException} naming the line; validate first to report all.
 */
public final class ExampleReader implements Iterable<Example>, Closeable {
    private static final ObjectMapper MAPPER = new ObjectMapper(
            JsonFactory.builder().streamReadConstraints(LineJsonFactory.CONSTRAINTS).build());

    private final JsonlLines lines;
    private Example next;
    private boolean iterated;

    /** Reads from a stream, closed with the reader. */
    public ExampleReader(InputStream in) {
        this.lines = new JsonlLines(in);
    }

    /**
     * Opens a file; a missing or unreadable one throws {@link java.io.UncheckedIOException} saying why. Example:
     * {@code ExampleReader.open(Path.of("train.jsonl"))}.
     */
    public static ExampleReader open(Path file) throws IOException {
        try {
            return new ExampleReader(Files.newInputStream(file));
        } catch (IOException e) {
            throw FileErrors.cannotRead(file, e);
        }
    }

    /** The next example, or null at the end of the file. */
    public Example read() {
        try {
            while (lines.next()) {
                if (lines.isBlank()) {
                    continue;
                }
                try {
                    JsonNode json = MAPPER.readTree(lines.buffer(), lines.start(), lines.length());
                    return new Example(lines.lineNumber(), json);
                } catch (JsonProcessingException e) {
                    long n = lines.lineNumber();
                    if (Utf8.firstInvalid(lines.buffer(), lines.start(), lines.start() + lines.length()) >= 0) {
                        throw new DatasetException(n, "Line " + n + ": not valid UTF-8 (the file may be Latin-1/Windows-1252): save it as UTF-8", e);
                    }
                    throw new DatasetException(n, "Line " + n + ": invalid JSON"
                            + ChunkValidator.describe(e, lines.buffer(), lines.start(), lines.length()), e);
                }
            }
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the dataset after line " + lines.lineNumber() + ": " + e.getMessage(), e);
        }
    }

    /** The bytes of the input read so far, blank lines and line ends included: how far a long read has come. */
    public long bytesRead() {
        return lines.bytesConsumed();
    }

    /** Iterates once over the remaining examples. */
    @Override
    public Iterator<Example> iterator() {
        if (iterated) {
            throw new IllegalStateException("an ExampleReader can be iterated only once");
        }
        iterated = true;
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                if (next == null) {
                    next = read();
                }
                return next != null;
            }

            @Override
            public Example next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Example e = next;
                next = null;
                return e;
            }
        };
    }

    /** The remaining examples as a sequential stream; close the reader (or the stream) when done. */
    public Stream<Example> stream() {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(iterator(), Spliterator.ORDERED | Spliterator.NONNULL), false)
                .onClose(() -> {
                    try {
                        close();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
    }

    @Override
    public void close() throws IOException {
        lines.close();
    }
}
