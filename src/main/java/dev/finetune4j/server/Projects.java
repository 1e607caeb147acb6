package dev.finetune4j.server;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/**
 * Organisation, projects and API keys. Keys are stored as SHA-256 hashes; a key is shown once when created.
 * The admin key belongs to no project: it manages projects and checkpoint permissions, and on the ordinary
 * endpoints it acts for the default project.
 */
final class Projects {
    static final String DEFAULT_PROJECT_NAME = "Default project";

    record Project(String id, String name, long createdAt) {}

    private final Database db;

    Projects(Database db) {
        this.db = db;
    }

    /** The organisation id, created with the data directory. */
    String organizationId() {
        return db.transaction(() -> {
            String id = db.queryString("SELECT value FROM meta WHERE key = 'organization_id'");
            if (id != null) return id;
            id = Ids.organization();
            db.update("INSERT INTO meta(key, value) VALUES ('organization_id', ?)", id);
            return id;
        });
    }

    /** The project the dev key and the admin key act for, created with the data directory. */
    String defaultProjectId() {
        return db.transaction(() -> {
            String id = db.queryString("SELECT value FROM meta WHERE key = 'default_project'");
            if (id != null) return id;
            id = insertProject(DEFAULT_PROJECT_NAME);
            db.update("INSERT INTO meta(key, value) VALUES ('default_project', ?)", id);
            return id;
        });
    }

    /** When the data directory was made: its default project's creation time, in epoch seconds. */
    long dataCreatedAt() {
        Long at = db.queryLong("SELECT created_at FROM projects WHERE id = ?", defaultProjectId());
        return at == null ? now() : at;
    }

    ProjectKey createProject(String name) {
        return db.transaction(() -> {
            String id = insertProject(name);
            return new ProjectKey(id, name, createKey(id, name + " key"));
        });
    }

    private String insertProject(String name) {
        String id = Ids.project();
        db.update("INSERT INTO projects(id, name, created_at) VALUES (?, ?, ?)", id, name, now());
        return id;
    }

    /** A new key of the project; the caller must keep it, only its hash is stored. */
    String createKey(String projectId, String name) {
        String key = Ids.apiKey();
        db.update("INSERT INTO api_keys(key_hash, project_id, admin, name, created_at) VALUES (?, ?, 0, ?, ?)",
                hash(key), projectId, name, now());
        return key;
    }

    String createAdminKey() {
        String key = Ids.adminKey();
        db.update("INSERT INTO api_keys(key_hash, project_id, admin, name, created_at) VALUES (?, NULL, 1, ?, ?)",
                hash(key), "admin key", now());
        return key;
    }

    /** Whether the key is known (and, for {@code admin}, is an admin key). */
    boolean isKey(String key, boolean admin) {
        Caller c = authenticate(key);
        return c != null && c.admin() == admin;
    }

    /** The caller a key stands for, or null when the key is unknown. */
    Caller authenticate(String key) {
        return db.queryOne("SELECT project_id, admin FROM api_keys WHERE key_hash = ?", rs -> {
            boolean admin = rs.getInt("admin") == 1;
            String project = rs.getString("project_id");
            return new Caller(admin ? defaultProjectId() : project, admin);
        }, hash(key));
    }

    Project project(String id) {
        return db.queryOne("SELECT id, name, created_at FROM projects WHERE id = ?",
                rs -> new Project(rs.getString(1), rs.getString(2), rs.getLong(3)), id);
    }

    List<Project> list() {
        return db.query("SELECT id, name, created_at FROM projects ORDER BY created_at, id",
                rs -> new Project(rs.getString(1), rs.getString(2), rs.getLong(3)));
    }

    static String hash(String key) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static long now() {
        return Instant.now().getEpochSecond();
    }
}
