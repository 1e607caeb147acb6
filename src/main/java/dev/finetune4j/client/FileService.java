package dev.finetune4j.client;

import dev.finetune4j.api.Deleted;
import dev.finetune4j.api.FileObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import okhttp3.Response;

/** {@code /files}: upload (streamed from disk), list, retrieve, delete and download files. */
public final class FileService {
    /** The largest file {@code /files} takes on OpenAI; larger ones go through {@link UploadService#uploadFile}. */
    public static final long MAX_FILE_BYTES = 512L * 1024 * 1024;
    private static final MediaType OCTET_STREAM = MediaType.get("application/octet-stream");

    private final Transport transport;

    FileService(Transport transport) {
        this.transport = transport;
    }

    /** Uploads a file, streamed from disk: {@code client.files().create(Path.of("train.jsonl"), "fine-tune")}. */
    public FileObject create(Path file, String purpose) {
        return create(FileCreateParams.builder().file(file).purpose(purpose).build(), RequestOptions.NONE);
    }

    /** As {@link #create(Path, String)}, with per-request options. */
    public FileObject create(Path file, String purpose, RequestOptions options) {
        return create(FileCreateParams.builder().file(file).purpose(purpose).build(), options);
    }

    /** Uploads a file: {@code client.files().create(FileCreateParams.builder().file(path).purpose("fine-tune").build())}. */
    public FileObject create(FileCreateParams params) {
        return create(params, RequestOptions.NONE);
    }

    /** As {@link #create(FileCreateParams)}, with per-request options. */
    public FileObject create(FileCreateParams params, RequestOptions options) {
        RequestBody content = params.path() != null
                ? RequestBody.create(params.path().toFile(), OCTET_STREAM)
                : RequestBody.create(params.content(), OCTET_STREAM);
        List<ApiRequest.FormPart> form = new ArrayList<>();
        form.add(ApiRequest.FormPart.field("purpose", params.purpose()));
        if (params.expiresAfterSeconds() != null) {
            form.add(ApiRequest.FormPart.field("expires_after[anchor]", "created_at"));
            form.add(ApiRequest.FormPart.field("expires_after[seconds]", params.expiresAfterSeconds().toString()));
        }
        form.add(ApiRequest.FormPart.file("file", params.filename(), content));
        return transport.json(ApiRequest.post(options, "files").form(form), FileObject.class);
    }

    /** Lists files, newest first: {@code for (FileObject f : client.files().list()) ...}. */
    public CursorPage<FileObject> list() {
        return list(FileListParams.builder().build(), RequestOptions.NONE);
    }

    /** Lists files filtered and paged by {@code params} (purpose, page size, order); iterating walks all pages. */
    public CursorPage<FileObject> list(FileListParams params) {
        return list(params, RequestOptions.NONE);
    }

    /** As {@link #list(FileListParams)}, with per-request options. */
    public CursorPage<FileObject> list(FileListParams params, RequestOptions options) {
        return transport.page(ApiRequest.get(options, "files").query(params.toQuery()), FileObject.class,
                Cursors.lastItemId(FileObject::id));
    }

    /** The file's metadata: {@code client.files().retrieve("file-abc123")}. */
    public FileObject retrieve(String fileId) {
        return retrieve(fileId, RequestOptions.NONE);
    }

    /** As {@link #retrieve(String)}, with per-request options. */
    public FileObject retrieve(String fileId, RequestOptions options) {
        return transport.json(ApiRequest.get(options, "files", fileId), FileObject.class);
    }

    /** Deletes a file: {@code client.files().delete("file-abc123").deleted()}. */
    public Deleted delete(String fileId) {
        return delete(fileId, RequestOptions.NONE);
    }

    /** As {@link #delete(String)}, with per-request options. */
    public Deleted delete(String fileId, RequestOptions options) {
        return transport.json(ApiRequest.delete(options, "files", fileId), Deleted.class);
    }

    /**
     * The file's bytes as a stream, read from the network as you go; close it when done:
     * {@code try (InputStream in = client.files().content(id)) { ... }}.
     */
    public InputStream content(String fileId) {
        return content(fileId, RequestOptions.NONE);
    }

    /** As {@link #content(String)}, with per-request options. */
    public InputStream content(String fileId, RequestOptions options) {
        Response response;
        try {
            response = transport.stream(ApiRequest.get(options, "files", fileId, "content").accept("application/binary"));
        } catch (ApiStatusException e) {
            // the SDKs ask for application/binary; a service that holds to the spec's declared type refuses that
            if (e.statusCode() != 406) throw e;
            response = transport.stream(ApiRequest.get(options, "files", fileId, "content").accept("*/*"));
        }
        return response.body().byteStream();
    }

    /**
     * Downloads the file's bytes to {@code target} (replacing it once the whole file has arrived) and returns the
     * number of bytes written: {@code client.files().download(id, Path.of("metrics.csv"))}. A download that breaks
     * off throws {@link ApiConnectionException} and leaves {@code target} as it was.
     */
    public long download(String fileId, Path target) {
        return download(fileId, target, RequestOptions.NONE);
    }

    /** As {@link #download(String, Path)}, with per-request options. */
    public long download(String fileId, Path target, RequestOptions options) {
        Path absolute = target.toAbsolutePath();
        Path part;
        try {
            part = Files.createTempFile(absolute.getParent(), "." + absolute.getFileName() + ".", ".part");
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + target, e);
        }
        try (InputStream in = content(fileId, options)) {
            long written = 0;
            try (OutputStream out = Files.newOutputStream(part)) {
                byte[] buffer = new byte[64 * 1024];
                while (true) {
                    int n;
                    try {
                        n = in.read(buffer);
                    } catch (IOException e) {
                        throw new ApiConnectionException("The download of " + fileId + " broke off after " + written
                                + " bytes (" + e.getMessage() + "); " + target + " was left as it was.", e);
                    }
                    if (n < 0) break;
                    out.write(buffer, 0, n);
                    written += n;
                }
            }
            try {
                Files.move(part, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(part, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
            return written;
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + target, e);
        } finally {
            try {
                Files.deleteIfExists(part);
            } catch (IOException ignored) {
                // a part file that cannot be removed is only litter
            }
        }
    }

    /** The file's content as UTF-8 text; for small files such as a job's result CSV. */
    public String contentAsString(String fileId) {
        try (InputStream in = content(fileId)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ApiConnectionException("could not read the content of " + fileId + ": " + e.getMessage(), e);
        }
    }
}
