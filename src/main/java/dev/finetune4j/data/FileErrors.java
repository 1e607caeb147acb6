package dev.finetune4j.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** One wording for a dataset file that cannot be read, wherever it is opened. */
final class FileErrors {
    private FileErrors() {}

    /** {@code cannot read train.jsonl: no such file (looked in /home/me/train.jsonl)}, or the reason the JDK gives. */
    static UncheckedIOException cannotRead(Path file, IOException e) {
        String why = e instanceof NoSuchFileException ? "no such file (looked in " + file.toAbsolutePath() + ")"
                : e instanceof AccessDeniedException ? "permission denied" : e.getMessage();
        return new UncheckedIOException("cannot read " + file + ": " + why, e);
    }
}
