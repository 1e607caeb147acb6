package dev.finetune4j.client;

import dev.finetune4j.api.Upload;
import dev.finetune4j.api.UploadPart;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import okio.BufferedSink;

/**
 * {@code /uploads}: send a large file (up to 8 GB) in parts of at most 64 MB, then complete it into a file.
 * {@link #uploadFile} does all steps: {@code client.uploads().uploadFile(Path.of("big.jsonl"), "fine-tune", "text/jsonl")}.
 */
public final class UploadService {
    /** The API's largest part. */
    public static final long MAX_PART_BYTES = 64L * 1024 * 1024;
    private static final MediaType OCTET_STREAM = MediaType.get("application/octet-stream");

    private final Transport transport;
    private final UploadPartService parts = new UploadPartService(this);

    UploadService(Transport transport) {
        this.transport = transport;
    }

    /** Parts, as the SDKs name them: {@code client.uploads().parts().create(uploadId, bytes)}. */
    public UploadPartService parts() {
        return parts;
    }

    /** Opens an upload: {@code uploads().create(UploadCreateParams.builder()...build())}. */
    public Upload create(UploadCreateParams params) {
        return create(params, RequestOptions.NONE);
    }

    /** As {@link #create(UploadCreateParams)}, with per-request options. */
    public Upload create(UploadCreateParams params, RequestOptions options) {
        return transport.json(ApiRequest.post(options, "uploads").body(params.toMap()), Upload.class);
    }

    /** Adds a part from memory: {@code uploads().addPart(uploadId, bytes).id()}. */
    public UploadPart addPart(String uploadId, byte[] data) {
        return addPart(uploadId, data, RequestOptions.NONE);
    }

    /** As {@link #addPart(String, byte[])}, with per-request options. */
    public UploadPart addPart(String uploadId, byte[] data, RequestOptions options) {
        return addPart(uploadId, RequestBody.create(data, OCTET_STREAM), options);
    }

    /** Adds {@code length} bytes of {@code file} starting at {@code offset}, streamed from disk. */
    public UploadPart addPart(String uploadId, Path file, long offset, long length) {
        return addPart(uploadId, file, offset, length, RequestOptions.NONE);
    }

    /** As {@link #addPart(String, Path, long, long)}, with per-request options. */
    public UploadPart addPart(String uploadId, Path file, long offset, long length, RequestOptions options) {
        return addPart(uploadId, new FileSlice(file, offset, length), options);
    }

    private UploadPart addPart(String uploadId, RequestBody data, RequestOptions options) {
        ApiRequest request = ApiRequest.post(options, "uploads", uploadId, "parts")
                .form(List.of(ApiRequest.FormPart.file("data", "part", data)));
        return transport.json(request, UploadPart.class);
    }

    /** Joins the parts, in this order, into a file: {@code uploads().complete(uploadId, partIds).file().id()}. */
    public Upload complete(String uploadId, List<String> partIds) {
        return complete(uploadId, partIds, null, RequestOptions.NONE);
    }

    /** As {@link #complete(String, List)}, with the MD5 of the whole file (hex) for the server to check. */
    public Upload complete(String uploadId, List<String> partIds, String md5, RequestOptions options) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("part_ids", List.copyOf(partIds));
        if (md5 != null) body.put("md5", md5);
        return transport.json(ApiRequest.post(options, "uploads", uploadId, "complete").body(body), Upload.class);
    }

    /** Cancels an upload; no parts may be added afterwards: {@code uploads().cancel(uploadId)}. */
    public Upload cancel(String uploadId) {
        return cancel(uploadId, RequestOptions.NONE);
    }

    /** As {@link #cancel(String)}, with per-request options. */
    public Upload cancel(String uploadId, RequestOptions options) {
        return transport.json(ApiRequest.post(options, "uploads", uploadId, "cancel"), Upload.class);
    }

    /**
     * Uploads a whole file in 64 MB parts, streaming each part from disk, and completes it; the answer holds the
     * resulting file in {@code file()}. On failure the upload is cancelled before the error is rethrown.
     */
    public Upload uploadFile(Path file, String purpose, String mimeType) {
        return uploadFile(file, purpose, mimeType, MAX_PART_BYTES);
    }

    /** As {@link #uploadFile(Path, String, String)} with a chosen part size (1 byte .. 64 MB). */
    public Upload uploadFile(Path file, String purpose, String mimeType, long partBytes) {
        return uploadFile(file, purpose, mimeType, partBytes, sent -> { });
    }

    /**
     * As {@link #uploadFile(Path, String, String, long)}, telling {@code progress} the bytes sent after each part,
     * e.g. {@code uploadFile(path, "fine-tune", "text/jsonl", UploadService.MAX_PART_BYTES, sent -> bar.update(sent))}.
     * The file's MD5 goes with the completion, so the service checks that it assembled the same bytes.
     */
    public Upload uploadFile(Path file, String purpose, String mimeType, long partBytes, LongConsumer progress) {
        if (partBytes < 1 || partBytes > MAX_PART_BYTES) {
            throw new IllegalArgumentException("part size must be 1.." + MAX_PART_BYTES + " bytes, got " + partBytes);
        }
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file.toAbsolutePath()
                    + (e instanceof NoSuchFileException ? ": no such file" : ": " + e.getMessage()), e);
        }
        Upload upload = create(UploadCreateParams.builder().filename(file.getFileName().toString()).purpose(purpose)
                .bytes(size).mimeType(mimeType).build());
        try {
            List<String> partIds = new ArrayList<>();
            for (long offset = 0; offset < size; offset += partBytes) {
                long length = Math.min(partBytes, size - offset);
                partIds.add(addPart(upload.id(), file, offset, length).id());
                progress.accept(offset + length);
            }
            return complete(upload.id(), partIds, md5(file), RequestOptions.NONE);
        } catch (RuntimeException e) {
            try {
                cancel(upload.id());
            } catch (RuntimeException cancelFailed) {
                e.addSuppressed(cancelFailed);
            }
            throw e;
        }
    }

    /** The MD5 of a file, in hex, read through once. */
    private static String md5(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("MD5");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) digest.update(buffer, 0, n);
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file.toAbsolutePath() + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A byte range of a file as a request body, read from disk each time it is written (so retries work). */
    private static final class FileSlice extends RequestBody {
        private final Path file;
        private final long offset;
        private final long length;

        FileSlice(Path file, long offset, long length) {
            if (offset < 0 || length < 0) throw new IllegalArgumentException("negative offset or length");
            this.file = file;
            this.offset = offset;
            this.length = length;
        }

        @Override
        public MediaType contentType() {
            return OCTET_STREAM;
        }

        @Override
        public long contentLength() {
            return length;
        }

        @Override
        public void writeTo(BufferedSink sink) throws IOException {
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
                long position = offset;
                long remaining = length;
                while (remaining > 0) {
                    buffer.clear();
                    if (remaining < buffer.capacity()) buffer.limit((int) remaining);
                    int n = channel.read(buffer, position);
                    if (n < 0) throw new IOException("file " + file + " ended before byte " + (offset + length));
                    buffer.flip();
                    sink.write(buffer);
                    position += n;
                    remaining -= n;
                }
            }
        }
    }
}
