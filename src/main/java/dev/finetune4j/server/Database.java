package dev.finetune4j.server;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The SQLite metadata store in WAL mode: one writer connection guarded by one lock (SQLite serialises writers
 * anyway), and a few read-only connections for queries outside a transaction. WAL lets readers see the last
 * committed state while the writer commits, so API reads never wait for the fsync of a training step's write;
 * queries inside a transaction use the writer connection and see their own changes.
 */
final class Database implements AutoCloseable {
    /** Maps the current row of a result set. */
    interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private static final int SCHEMA_VERSION = 2;

    private static final int READERS = 4;

    private final Connection connection;
    private final ReentrantLock lock = new ReentrantLock();
    private final BlockingQueue<Connection> readers = new ArrayBlockingQueue<>(READERS);

    Database(Path file) {
        String url = "jdbc:sqlite:" + file.toAbsolutePath();
        try {
            connection = DriverManager.getConnection(url);
            try (Statement st = connection.createStatement()) {
                st.execute("PRAGMA journal_mode=WAL");
                st.execute("PRAGMA synchronous=FULL");
                st.execute("PRAGMA foreign_keys=ON");
                st.execute("PRAGMA busy_timeout=5000");
            }
            migrate();
            for (int i = 0; i < READERS; i++) {
                Connection r = DriverManager.getConnection(url);
                try (Statement st = r.createStatement()) {
                    st.execute("PRAGMA busy_timeout=5000");
                    st.execute("PRAGMA query_only=1");
                }
                readers.add(r);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open the database " + file + ": " + e.getMessage(), e);
        }
    }

    private void migrate() throws SQLException {
        try (Statement st = connection.createStatement()) {
            int version;
            try (ResultSet rs = st.executeQuery("PRAGMA user_version")) {
                version = rs.next() ? rs.getInt(1) : 0;
            }
            if (version >= SCHEMA_VERSION) return;
            connection.setAutoCommit(false);
            try {
                if (version < 1) for (String sql : SCHEMA) st.execute(sql);
                if (version < 2) for (String sql : SCHEMA_2) st.execute(sql);
                st.execute("PRAGMA user_version=" + SCHEMA_VERSION);
                connection.commit();
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        }
    }

    private static final String[] SCHEMA = {
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        "CREATE TABLE projects (id TEXT PRIMARY KEY, name TEXT NOT NULL, created_at INTEGER NOT NULL)",
        "CREATE TABLE api_keys (key_hash TEXT PRIMARY KEY, project_id TEXT REFERENCES projects(id),"
                + " admin INTEGER NOT NULL, name TEXT NOT NULL, created_at INTEGER NOT NULL)",
        "CREATE TABLE files (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT UNIQUE NOT NULL,"
                + " project_id TEXT NOT NULL, filename TEXT NOT NULL, purpose TEXT NOT NULL, bytes INTEGER NOT NULL,"
                + " created_at INTEGER NOT NULL, expires_at INTEGER, status TEXT NOT NULL)",
        "CREATE INDEX files_project ON files(project_id, seq)",
        "CREATE TABLE uploads (id TEXT PRIMARY KEY, project_id TEXT NOT NULL, filename TEXT NOT NULL,"
                + " purpose TEXT NOT NULL, bytes INTEGER NOT NULL, mime_type TEXT NOT NULL, status TEXT NOT NULL,"
                + " created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL, file_expires_after INTEGER,"
                + " file_id TEXT)",
        "CREATE TABLE upload_parts (id TEXT PRIMARY KEY, upload_id TEXT NOT NULL REFERENCES uploads(id),"
                + " bytes INTEGER NOT NULL, created_at INTEGER NOT NULL)",
        "CREATE TABLE jobs (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT UNIQUE NOT NULL,"
                + " project_id TEXT NOT NULL, created_at INTEGER NOT NULL, model TEXT NOT NULL, config TEXT NOT NULL,"
                + " base_weights TEXT, status TEXT NOT NULL, training_file TEXT NOT NULL, validation_file TEXT,"
                + " suffix TEXT, seed INTEGER NOT NULL, method TEXT NOT NULL, hyperparameters TEXT NOT NULL,"
                + " integrations TEXT, metadata TEXT, fine_tuned_model TEXT, finished_at INTEGER,"
                + " trained_tokens INTEGER, result_files TEXT NOT NULL DEFAULT '[]', error TEXT,"
                + " estimated_finish INTEGER, queued_at INTEGER, resume_step INTEGER, resume_state TEXT)",
        "CREATE INDEX jobs_project ON jobs(project_id, seq)",
        "CREATE TABLE events (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT UNIQUE NOT NULL,"
                + " job_id TEXT NOT NULL, created_at INTEGER NOT NULL, level TEXT NOT NULL, message TEXT NOT NULL,"
                + " type TEXT NOT NULL, data TEXT, step INTEGER)",
        "CREATE INDEX events_job ON events(job_id, seq)",
        "CREATE TABLE checkpoints (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT UNIQUE NOT NULL,"
                + " job_id TEXT NOT NULL, project_id TEXT NOT NULL, created_at INTEGER NOT NULL,"
                + " model_name TEXT UNIQUE NOT NULL, config TEXT NOT NULL, step INTEGER NOT NULL,"
                + " metrics TEXT NOT NULL, weights TEXT NOT NULL)",
        "CREATE INDEX checkpoints_job ON checkpoints(job_id, seq)",
        "CREATE TABLE models (id TEXT PRIMARY KEY, project_id TEXT NOT NULL, job_id TEXT NOT NULL,"
                + " created_at INTEGER NOT NULL, config TEXT NOT NULL, weights TEXT NOT NULL)",
        "CREATE TABLE permissions (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT UNIQUE NOT NULL,"
                + " checkpoint TEXT NOT NULL, project_id TEXT NOT NULL, created_at INTEGER NOT NULL,"
                + " UNIQUE (checkpoint, project_id))",
    };

    /** Added in version 2: the positions of deleted rows, for lists paged past them ({@link DeletedCursors}). */
    private static final String[] SCHEMA_2 = {
        "CREATE TABLE deleted_cursors (id TEXT PRIMARY KEY, position INTEGER NOT NULL, owner TEXT NOT NULL,"
                + " deleted_at INTEGER NOT NULL)",
    };

    /** Runs {@code work} in one transaction; nested calls join the outer transaction. */
    <T> T transaction(Supplier<T> work) {
        lock.lock();
        try {
            boolean outer = lock.getHoldCount() == 1;
            if (!outer) return work.get();
            connection.setAutoCommit(false);
            try {
                T result = work.get();
                connection.commit();
                return result;
            } catch (RuntimeException | Error | SQLException e) {
                // a failed commit (a full disk) is rolled back too; the first failure is the one reported
                try {
                    connection.rollback();
                } catch (SQLException rollback) {
                    e.addSuppressed(rollback);
                }
                throw e;
            } finally {
                try {
                    connection.setAutoCommit(true);
                } catch (SQLException ignored) {
                    // only after a failure, which is already on its way up
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("database error: " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    void transaction(Runnable work) {
        transaction(() -> {
            work.run();
            return null;
        });
    }

    /** Executes an insert, update or delete; returns the number of rows changed. */
    int update(String sql, Object... args) {
        lock.lock();
        try (PreparedStatement st = prepare(connection, sql, args)) {
            return st.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("database error: " + e.getMessage() + " in " + sql, e);
        } finally {
            lock.unlock();
        }
    }

    <T> List<T> query(String sql, RowMapper<T> mapper, Object... args) {
        if (lock.isHeldByCurrentThread()) return query(connection, sql, mapper, args);
        Connection reader;
        try {
            reader = readers.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a database connection", e);
        }
        try {
            return query(reader, sql, mapper, args);
        } finally {
            readers.add(reader);
        }
    }

    private static <T> List<T> query(Connection c, String sql, RowMapper<T> mapper, Object... args) {
        try (PreparedStatement st = prepare(c, sql, args); ResultSet rs = st.executeQuery()) {
            List<T> rows = new ArrayList<>();
            while (rs.next()) rows.add(mapper.map(rs));
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException("database error: " + e.getMessage() + " in " + sql, e);
        }
    }

    <T> T queryOne(String sql, RowMapper<T> mapper, Object... args) {
        List<T> rows = query(sql, mapper, args);
        return rows.isEmpty() ? null : rows.get(0);
    }

    Long queryLong(String sql, Object... args) {
        return queryOne(sql, rs -> {
            long v = rs.getLong(1);
            return rs.wasNull() ? null : v;
        }, args);
    }

    String queryString(String sql, Object... args) {
        return queryOne(sql, rs -> rs.getString(1), args);
    }

    private static PreparedStatement prepare(Connection c, String sql, Object... args) throws SQLException {
        PreparedStatement st = c.prepareStatement(sql);
        for (int i = 0; i < args.length; i++) st.setObject(i + 1, args[i]);
        return st;
    }

    /** A nullable long column. */
    static Long getLong(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    @Override
    public void close() {
        lock.lock();
        try {
            for (Connection r : readers) r.close();
            connection.close();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot close the database: " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }
}
