package dev.finetune4j.client;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The form of {@code POST /files}: the file (a path, streamed from disk, or bytes), its {@code purpose} and an
 * optional expiry. Example:
 * {@code FileCreateParams.builder().file(Path.of("train.jsonl")).purpose("fine-tune").build()}.
 */
public final class FileCreateParams {
    private final Path path;
    private final byte[] content;
    private final String filename;
    private final String purpose;
    private final Long expiresAfterSeconds;

    private FileCreateParams(Builder b) {
        if (b.path == null && b.content == null) throw new IllegalArgumentException("file upload: 'file' is required");
        if (b.purpose == null) throw new IllegalArgumentException("file upload: 'purpose' is required");
        if (b.path != null && !Files.isRegularFile(b.path)) {
            throw new IllegalArgumentException("file upload: no such file: " + b.path.toAbsolutePath());
        }
        this.path = b.path;
        this.content = b.content;
        this.filename = b.filename != null ? b.filename : b.path != null ? b.path.getFileName().toString() : "file";
        this.purpose = b.purpose;
        this.expiresAfterSeconds = b.expiresAfterSeconds;
    }

    /** Starts an empty form; the file and {@code purpose} must be set. */
    public static Builder builder() {
        return new Builder();
    }

    /** The file on disk, streamed when sent; null for in-memory content. */
    public Path path() {
        return path;
    }

    /** The file name sent in the form, as the API records it. */
    public String filename() {
        return filename;
    }

    /** {@code purpose}, e.g. {@code fine-tune}. */
    public String purpose() {
        return purpose;
    }

    /** {@code expires_after[seconds]}, counted from creation; null when the file does not expire. */
    public Long expiresAfterSeconds() {
        return expiresAfterSeconds;
    }

    byte[] content() {
        return content;
    }

    /** Builds {@link FileCreateParams}. */
    public static final class Builder {
        private Path path;
        private byte[] content;
        private String filename;
        private String purpose;
        private Long expiresAfterSeconds;

        private Builder() {}

        /** A file on disk; it is streamed, never loaded whole. */
        public Builder file(Path path) {
            this.path = Objects.requireNonNull(path, "path");
            this.content = null;
            return this;
        }

        /** In-memory content (small files), sent under {@code filename}. */
        public Builder file(String filename, byte[] content) {
            this.filename = Objects.requireNonNull(filename, "filename");
            this.content = content.clone();
            this.path = null;
            return this;
        }

        /** The name the API records; defaults to the path's file name. */
        public Builder filename(String filename) {
            this.filename = filename;
            return this;
        }

        /** {@code fine-tune} for training data; also {@code assistants}, {@code batch}, {@code vision}, ... */
        public Builder purpose(String purpose) {
            this.purpose = purpose;
            return this;
        }

        /** Expire the file this many seconds (3600..2592000) after creation. */
        public Builder expiresAfterSeconds(long seconds) {
            this.expiresAfterSeconds = seconds;
            return this;
        }

        /** The form; throws {@link IllegalArgumentException} without a file or purpose, or for a missing file. */
        public FileCreateParams build() {
            return new FileCreateParams(this);
        }
    }
}
