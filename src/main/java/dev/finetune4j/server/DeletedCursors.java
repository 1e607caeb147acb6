package dev.finetune4j.server;

import java.time.Duration;

/**
 * The positions of list cursors ({@code after}) whose rows were deleted. A client that deletes what it lists, page
 * by page, passes the id of a row it has just deleted as the next page's {@code after}; the list continues after
 * the position that row had, instead of answering 404. Table and column names are the callers' constants.
 */
final class DeletedCursors {
    /** How long the position of a deleted row is kept: longer than any listing takes. */
    static final Duration KEPT = Duration.ofDays(7);

    private DeletedCursors() {}

    /**
     * Keeps the position of the rows {@code where} selects, before they are deleted (in the delete's transaction).
     * {@code position} is the column lists are ordered by, {@code owner} the one they are scoped to.
     */
    static void rememberDeleted(Database db, String table, String position, String owner, String where,
                                Object... args) {
        db.update("INSERT OR IGNORE INTO deleted_cursors (id, position, owner, deleted_at) SELECT id, " + position
                + ", " + owner + ", " + Projects.now() + " FROM " + table + " WHERE " + where, args);
    }

    /** The position of {@code id} in a list scoped to {@code ownerValue}: its row's, or the one it had; else null. */
    static Long position(Database db, String table, String position, String owner, String id, String ownerValue) {
        Long found = db.queryLong("SELECT " + position + " FROM " + table + " WHERE id = ? AND " + owner + " = ?",
                id, ownerValue);
        return found != null ? found
                : db.queryLong("SELECT position FROM deleted_cursors WHERE id = ? AND owner = ?", id, ownerValue);
    }

    /** Forgets positions older than {@link #KEPT}. */
    static void forgetOld(Database db) {
        db.update("DELETE FROM deleted_cursors WHERE deleted_at < ?", Projects.now() - KEPT.toSeconds());
    }
}
