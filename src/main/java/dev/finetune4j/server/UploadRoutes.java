package dev.finetune4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.finetune4j.api.FileObject;
import dev.finetune4j.api.FilePurpose;
import dev.finetune4j.api.Upload;
import dev.finetune4j.api.UploadPart;
import dev.finetune4j.server.Rows.UploadRow;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/** {@code /v1/uploads}: large files in parts (each stored durably), assembled in order on complete. */
final class UploadRoutes {
    static final Set<String> PURPOSES = Set.of(FilePurpose.ASSISTANTS, FilePurpose.BATCH, FilePurpose.FINE_TUNE,
            FilePurpose.VISION);
    static final long EXPIRY_SECONDS = 3600;

    private final Services s;
    private final FileRoutes files;

    UploadRoutes(Services s, FileRoutes files) {
        this.s = s;
        this.files = files;
    }

    void register(RoutesConfig r) {
        r.post("/v1/uploads", this::create);
        r.post("/v1/uploads/{upload_id}/parts", this::addPart);
        r.post("/v1/uploads/{upload_id}/complete", this::complete);
        r.post("/v1/uploads/{upload_id}/cancel", this::cancel);
    }

    private void create(Context ctx) {
        JsonNode body = Body.object(ctx);
        Body.onlyKnown(body, "", Set.of("filename", "purpose", "bytes", "mime_type", "expires_after"));
        String filename = Body.string(Body.required(body, "filename", "filename"), "filename", 1, 1024);
        String purpose = Body.enumValue(Body.required(body, "purpose", "purpose"), "purpose", PURPOSES);
        long bytes = Body.integer(Body.required(body, "bytes", "bytes"), "bytes", 0, s.limits().maxUploadBytes());
        String mime = Body.requiredString(body, "mime_type", "mime_type");
        if (FilePurpose.FINE_TUNE.equals(purpose) && !filename.toLowerCase().endsWith(".jsonl")) {
            throw ApiException.badRequest("Invalid file format for Fine-Tuning API. Must be .jsonl", "filename",
                    "invalid_file_format");
        }
        if (FilePurpose.FINE_TUNE.equals(purpose) && !jsonlType(mime)) {
            throw ApiException.badRequest("Invalid 'mime_type': '" + mime + "' is not a type of JSONL training data;"
                    + " use \"text/jsonl\" (or \"application/jsonl\").", "mime_type", "invalid_value");
        }
        Long fileExpiry = null;
        JsonNode exp = Body.object(Body.field(body, "expires_after"), "expires_after");
        if (exp != null) {
            Body.onlyKnown(exp, "expires_after.", Set.of("anchor", "seconds"));
            Body.enumValue(Body.required(exp, "anchor", "expires_after.anchor"), "expires_after.anchor",
                    Set.of("created_at"));
            fileExpiry = Body.integer(Body.required(exp, "seconds", "expires_after.seconds"),
                    "expires_after.seconds", 3600, 2_592_000);
        }
        long now = Projects.now();
        UploadRow u = new UploadRow(Ids.upload(), RequestParams.caller(ctx).projectId(), filename, purpose, bytes, mime,
                "pending", now, now + EXPIRY_SECONDS, fileExpiry, null);
        s.db().update("INSERT INTO uploads(id, project_id, filename, purpose, bytes, mime_type, status, created_at,"
                        + " expires_at, file_expires_after) VALUES (?,?,?,?,?,?,?,?,?,?)", u.id(), u.projectId(),
                u.filename(), u.purpose(), u.bytes(), u.mimeType(), u.status(), u.createdAt(), u.expiresAt(),
                u.fileExpiresAfter());
        ctx.json(toApi(u, null));
    }

    private UploadRow upload(Context ctx) {
        String id = ctx.pathParam("upload_id");
        UploadRow u = s.db().queryOne("SELECT * FROM uploads WHERE id = ?", UploadRow::of, id);
        if (u == null || !u.projectId().equals(RequestParams.caller(ctx).projectId())) {
            throw ApiException.notFound("No such Upload object: " + id, "upload_id", "upload_not_found");
        }
        if ("pending".equals(u.status()) && Projects.now() >= u.expiresAt()) {
            s.db().update("UPDATE uploads SET status = 'expired' WHERE id = ? AND status = 'pending'", id);
            return s.db().queryOne("SELECT * FROM uploads WHERE id = ?", UploadRow::of, id);
        }
        return u;
    }

    private static void requirePending(UploadRow u) {
        if (!"pending".equals(u.status())) {
            throw ApiException.badRequest("Upload " + u.id() + " is " + u.status() + "; only a pending upload"
                    + " accepts this operation.", "upload_id", "invalid_upload_state");
        }
    }

    private void addPart(Context ctx) throws IOException {
        UploadRow u = upload(ctx);
        requirePending(u);
        Multipart.require(ctx);
        UploadedFile data = Multipart.file(ctx, "data", s.limits().maxPartBytes());
        Multipart.onlyFields(ctx, Set.of("data"));
        if (data == null) throw ApiException.missing("data");
        String partId = Ids.part();
        Path blob = s.blobs().uploadPart(u.id(), partId);
        long bytes;
        try (InputStream in = data.content()) {
            bytes = s.blobs().write(in, blob, s.limits().maxPartBytes());
        } catch (Blobs.TooLargeException e) {
            throw Multipart.tooLarge(s.limits().maxPartBytes());
        }
        long now = Projects.now();
        boolean added = s.db().transaction(() -> {
            String status = s.db().queryString("SELECT status FROM uploads WHERE id = ?", u.id());
            if (!"pending".equals(status)) return false;
            s.db().update("INSERT INTO upload_parts(id, upload_id, bytes, created_at) VALUES (?,?,?,?)",
                    partId, u.id(), bytes, now);
            return true;
        });
        if (!added) {
            Files.deleteIfExists(blob);
            requirePending(upload(ctx));
        }
        ctx.json(new UploadPart(partId, UploadPart.OBJECT, now, u.id(), null));
    }

    private void complete(Context ctx) throws IOException {
        UploadRow u = upload(ctx);
        requirePending(u);
        JsonNode body = Body.object(ctx);
        Body.onlyKnown(body, "", Set.of("part_ids", "md5"));
        JsonNode ids = Body.array(Body.required(body, "part_ids", "part_ids"), "part_ids");
        String md5 = Body.string(Body.field(body, "md5"), "md5");
        List<Path> parts = new ArrayList<>();
        long total = 0;
        for (int i = 0; i < ids.size(); i++) {
            String partId = Body.string(ids.get(i), "part_ids[" + i + "]");
            Long bytes = s.db().queryLong("SELECT bytes FROM upload_parts WHERE id = ? AND upload_id = ?",
                    partId, u.id());
            if (bytes == null) {
                throw ApiException.badRequest("Part " + partId + " does not belong to upload " + u.id() + ".",
                        "part_ids[" + i + "]", "invalid_part_id");
            }
            total += bytes;
            parts.add(s.blobs().uploadPart(u.id(), partId));
        }
        if (total != u.bytes()) {
            throw ApiException.badRequest("The parts hold " + total + " bytes, but the upload was created with"
                    + " bytes=" + u.bytes() + ".", "part_ids", "upload_size_mismatch");
        }
        MessageDigest digest = md5Digest();
        FileObject file = files.store(u.projectId(), u.filename(), u.purpose(), u.fileExpiresAfter(),
                () -> new DigestInputStream(concat(parts), digest), Long.MAX_VALUE);
        String actual = HexFormat.of().formatHex(digest.digest());
        if (md5 != null && !md5.equalsIgnoreCase(actual)) {
            s.files().delete(file.id());
            Files.deleteIfExists(s.blobs().file(file.id()));
            throw ApiException.badRequest("The md5 checksum " + md5 + " does not match the assembled content ("
                    + actual + ").", "md5", "checksum_mismatch");
        }
        boolean completed = s.db().transaction(() -> s.db().update("UPDATE uploads SET status = 'completed',"
                + " file_id = ? WHERE id = ? AND status = 'pending'", file.id(), u.id()) == 1);
        if (!completed) {
            s.files().delete(file.id());
            Files.deleteIfExists(s.blobs().file(file.id()));
            requirePending(upload(ctx));
        }
        Blobs.deleteTree(s.blobs().uploadDir(u.id()));
        ctx.json(toApi(upload(ctx), file));
    }

    private static InputStream concat(List<Path> parts) {
        return new PartsInputStream(parts.iterator());
    }

    /** Parts one after another, each opened once the one before is read: one open file at a time, for any count. */
    static final class PartsInputStream extends InputStream {
        private final Iterator<Path> parts;
        private InputStream current;

        PartsInputStream(Iterator<Path> parts) {
            this.parts = parts;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) return 0;
            while (true) {
                if (current == null) {
                    if (!parts.hasNext()) return -1;
                    current = Files.newInputStream(parts.next());
                }
                int n = current.read(b, off, len);
                if (n > 0) return n;
                current.close();
                current = null;
            }
        }

        @Override
        public void close() throws IOException {
            if (current != null) current.close();
            current = null;
        }
    }

    private static MessageDigest md5Digest() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void cancel(Context ctx) throws IOException {
        UploadRow u = upload(ctx);
        requirePending(u);
        s.db().update("UPDATE uploads SET status = 'cancelled' WHERE id = ? AND status = 'pending'", u.id());
        Blobs.deleteTree(s.blobs().uploadDir(u.id()));
        ctx.json(toApi(upload(ctx), null));
    }

    private Upload toApi(UploadRow u, FileObject file) {
        FileObject f = file;
        if (f == null && u.fileId() != null) {
            Rows.FileRow row = s.files().get(u.fileId());
            f = row == null ? null : row.toApi();
        }
        return new Upload(u.id(), Upload.OBJECT, u.createdAt(), u.filename(), u.bytes(), u.purpose(), u.status(),
                u.expiresAt(), f, null);
    }

    /** JSONL goes by several names; an image or audio type is a mistake for fine-tuning data. */
    private static boolean jsonlType(String mime) {
        String type = mime.toLowerCase(java.util.Locale.ROOT).split(";")[0].strip();
        return type.contains("json") || type.equals("text/plain") || type.equals("application/octet-stream");
    }
}
