package dev.finetune4j.server;

import dev.finetune4j.server.Rows.FileRow;
import java.util.ArrayList;
import java.util.List;

/** Uploaded and result files in the metadata store; contents live in {@link Blobs}. */
final class FileStore {
    private final Database db;

    FileStore(Database db) {
        this.db = db;
    }

    void insert(FileRow f) {
        db.update("INSERT INTO files(id, project_id, filename, purpose, bytes, created_at, expires_at, status)"
                        + " VALUES (?,?,?,?,?,?,?,?)", f.id(), f.projectId(), f.filename(), f.purpose(), f.bytes(),
                f.createdAt(), f.expiresAt(), f.status());
    }

    FileRow get(String id) {
        return db.queryOne("SELECT * FROM files WHERE id = ? AND (expires_at IS NULL OR expires_at > ?)",
                FileRow::of, id, Projects.now());
    }

    /** The file if the project owns it, else a 404. */
    FileRow get(String projectId, String id, String param) {
        FileRow f = get(id);
        if (f == null || !f.projectId().equals(projectId)) {
            throw ApiException.notFound("No such File object: " + id, param, "file_not_found");
        }
        return f;
    }

    List<FileRow> list(String projectId, String purpose, String after, int limit, boolean ascending) {
        StringBuilder sql = new StringBuilder("SELECT * FROM files WHERE project_id = ?"
                + " AND (expires_at IS NULL OR expires_at > ?)");
        List<Object> args = new ArrayList<>(List.of(projectId, Projects.now()));
        if (purpose != null) {
            sql.append(" AND purpose = ?");
            args.add(purpose);
        }
        if (after != null) {
            Long seq = DeletedCursors.position(db, "files", "seq", "project_id", after, projectId);
            if (seq == null) throw ApiException.notFound("No such File object: " + after, "after", "file_not_found");
            sql.append(ascending ? " AND seq > ?" : " AND seq < ?");
            args.add(seq);
        }
        sql.append(ascending ? " ORDER BY seq ASC" : " ORDER BY seq DESC").append(" LIMIT ?");
        args.add(limit);
        return db.query(sql.toString(), FileRow::of, args.toArray());
    }

    void delete(String id) {
        db.transaction(() -> {
            DeletedCursors.rememberDeleted(db, "files", "seq", "project_id", "id = ?", id);
            db.update("DELETE FROM files WHERE id = ?", id);
        });
    }

    /** Files whose {@code expires_at} has passed: their rows and blobs can go. */
    List<String> expired() {
        return db.query("SELECT id FROM files WHERE expires_at IS NOT NULL AND expires_at <= ?",
                rs -> rs.getString(1), Projects.now());
    }
}
