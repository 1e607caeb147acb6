package dev.finetune4j.server;

import dev.finetune4j.api.Deleted;
import dev.finetune4j.api.FileObject;
import dev.finetune4j.api.FilePurpose;
import dev.finetune4j.server.Rows.FileRow;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** {@code /v1/files}: multipart upload streamed to disk, list, retrieve, delete, content. */
final class FileRoutes {
    static final Set<String> UPLOAD_PURPOSES = Set.of(FilePurpose.ASSISTANTS, FilePurpose.BATCH,
            FilePurpose.FINE_TUNE, FilePurpose.VISION, FilePurpose.USER_DATA, FilePurpose.EVALS);
    /** The purposes a file can have: those of uploads, and those of files the service writes. */
    static final Set<String> LISTED_PURPOSES = Set.of(FilePurpose.ASSISTANTS, FilePurpose.ASSISTANTS_OUTPUT,
            FilePurpose.BATCH, FilePurpose.BATCH_OUTPUT, FilePurpose.FINE_TUNE, FilePurpose.FINE_TUNE_RESULTS,
            FilePurpose.VISION, FilePurpose.USER_DATA, FilePurpose.EVALS);
    static final long BATCH_EXPIRY_SECONDS = 30L * 24 * 3600;

    private final Services s;

    FileRoutes(Services s) {
        this.s = s;
    }

    void register(RoutesConfig r) {
        r.post("/v1/files", this::create);
        GetRoute.add(r, "/v1/files", this::list);
        GetRoute.add(r, "/v1/files/{file_id}", ctx -> ctx.json(file(ctx).toApi()));
        r.delete("/v1/files/{file_id}", this::delete);
        GetRoute.add(r, "/v1/files/{file_id}/content", this::content);
    }

    private static final Set<String> FORM_FIELDS = Set.of("file", "purpose", "expires_after[anchor]", "expires_after[seconds]");

    private FileRow file(Context ctx) {
        return s.files().get(RequestParams.caller(ctx).projectId(), ctx.pathParam("file_id"), "file_id");
    }

    private void create(Context ctx) throws IOException {
        Multipart.require(ctx);
        UploadedFile upload = Multipart.file(ctx, "file", s.limits().maxFileBytes());
        Multipart.onlyFields(ctx, FORM_FIELDS);
        String purpose = ctx.formParam("purpose");
        if (purpose == null || purpose.isEmpty()) throw ApiException.missing("purpose");
        if (!UPLOAD_PURPOSES.contains(purpose)) {
            throw ApiException.badRequest("Invalid value for 'purpose': expected one of "
                    + String.join(", ", UPLOAD_PURPOSES.stream().sorted().toList()) + ", but got '" + purpose
                    + "' instead.", "purpose", "invalid_value");
        }
        if (upload == null) throw ApiException.missing("file");
        String filename = upload.filename() == null || upload.filename().isBlank() ? "file" : upload.filename();
        if (FilePurpose.FINE_TUNE.equals(purpose) && !filename.toLowerCase().endsWith(".jsonl")) {
            throw ApiException.badRequest("Invalid file format for Fine-Tuning API. Must be .jsonl", "file",
                    "invalid_file_format");
        }
        Long expiresAfter = expiresAfter(ctx);
        if (expiresAfter == null && FilePurpose.BATCH.equals(purpose)) expiresAfter = BATCH_EXPIRY_SECONDS;
        FileObject f = store(RequestParams.caller(ctx).projectId(), filename, purpose, expiresAfter, upload::content,
                s.limits().maxFileBytes());
        ctx.json(f);
    }

    /** Reads {@code expires_after[anchor]} and {@code expires_after[seconds]}; null when absent. */
    static Long expiresAfter(Context ctx) {
        String anchor = ctx.formParam("expires_after[anchor]");
        String seconds = ctx.formParam("expires_after[seconds]");
        if (anchor == null && seconds == null) return null;
        if (anchor == null) throw ApiException.missing("expires_after.anchor");
        if (!anchor.equals("created_at")) {
            throw ApiException.badRequest("Invalid value for 'expires_after.anchor': expected 'created_at', but got '"
                    + anchor + "' instead.", "expires_after.anchor", "invalid_value");
        }
        if (seconds == null) throw ApiException.missing("expires_after.seconds");
        return seconds(seconds, "expires_after.seconds");
    }

    static long seconds(String text, String param) {
        long v;
        try {
            v = Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("Invalid type for '" + param + "': expected an integer, but got '" + text
                    + "' instead.", param, "invalid_type");
        }
        if (v < 3600 || v > 2_592_000) {
            throw ApiException.badRequest("Invalid '" + param + "': expected a value between 3600 and 2592000,"
                    + " but got " + v + " instead.", param, v < 3600 ? "integer_below_min_value"
                    : "integer_above_max_value");
        }
        return v;
    }

    interface Content {
        InputStream open() throws IOException;
    }

    /** Streams content into a durable blob, then records the file: no row ever points at a partial blob. */
    FileObject store(String projectId, String filename, String purpose, Long expiresAfter, Content content,
                     long maxBytes) throws IOException {
        String id = Ids.file();
        Path blob = s.blobs().file(id);
        long bytes;
        try (InputStream in = content.open()) {
            bytes = s.blobs().write(in, blob, maxBytes);
        } catch (Blobs.TooLargeException e) {
            throw Multipart.tooLarge(maxBytes);
        }
        long now = Projects.now();
        FileRow row = new FileRow(id, projectId, filename, purpose, bytes, now,
                expiresAfter == null ? null : now + expiresAfter, "processed");
        try {
            s.files().insert(row);
        } catch (RuntimeException e) {
            Files.deleteIfExists(blob);
            throw e;
        }
        return row.toApi();
    }

    private void list(Context ctx) {
        String purpose = ctx.queryParam("purpose");
        if (purpose != null && purpose.isEmpty()) purpose = null;
        if (purpose != null && !LISTED_PURPOSES.contains(purpose)) {
            // a typo here would list nothing, as if there were no such files
            throw ApiException.badRequest("Invalid value for 'purpose': expected one of "
                    + String.join(", ", LISTED_PURPOSES.stream().sorted().toList()) + ", but got '" + purpose
                    + "' instead.", "purpose", "invalid_value");
        }
        int limit = RequestParams.limit(ctx, 10000, 10000);
        boolean asc = "asc".equals(RequestParams.oneOf(ctx, "order", "desc", Set.of("asc", "desc")));
        List<FileRow> rows = s.files().list(RequestParams.caller(ctx).projectId(), purpose, RequestParams.after(ctx), limit + 1, asc);
        ctx.json(Pages.withIds(rows, limit, FileRow::toApi, FileObject::id));
    }

    private void delete(Context ctx) throws IOException {
        FileRow f = file(ctx);
        String job = s.jobs().activeJobUsing(f.id());
        if (job != null) {
            throw ApiException.badRequest("File " + f.id() + " is used by fine-tuning job " + job
                    + ", which has not finished; cancel the job or wait for it to finish.", "file_id", "file_in_use");
        }
        s.files().delete(f.id());
        Files.deleteIfExists(s.blobs().file(f.id()));
        ctx.json(new Deleted(f.id(), FileObject.OBJECT, true));
    }

    private void content(Context ctx) throws IOException {
        FileRow f = file(ctx);
        Path blob = s.blobs().file(f.id());
        ctx.contentType(f.filename().endsWith(".csv") ? "text/csv" : "application/octet-stream");
        ctx.result(Files.newInputStream(blob));
    }
}
