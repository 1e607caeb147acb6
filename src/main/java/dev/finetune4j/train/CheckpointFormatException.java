package dev.finetune4j.train;

import java.io.IOException;

/** A model or checkpoint file that cannot be read: wrong magic number, unknown version, bad checksum, truncation. */
public final class CheckpointFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    public CheckpointFormatException(String message) {
        super(message);
    }
}
