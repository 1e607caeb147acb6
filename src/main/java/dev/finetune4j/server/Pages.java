package dev.finetune4j.server;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.finetune4j.api.Page;
import java.util.List;
import java.util.function.Function;

/**
 * List pages from rows fetched with {@code LIMIT limit + 1}: the extra row, when it comes, only says that there is
 * more ({@code has_more}); it is not returned.
 */
final class Pages {
    private Pages() {}

    /** The envelope of job and event lists: {@code data} and {@code has_more}. */
    static <R, T> Page<T> of(List<R> rows, int limit, Function<R, T> toApi) {
        return Page.of(first(rows, limit, toApi), rows.size() > limit);
    }

    /**
     * The envelope of file, checkpoint and permission lists, which also carry {@code first_id} and {@code last_id}:
     * null for an empty page, but present, as the file list requires them.
     */
    static <R, T> WithIds<T> withIds(List<R> rows, int limit, Function<R, T> toApi, Function<T, String> id) {
        List<T> data = first(rows, limit, toApi);
        return new WithIds<>(Page.OBJECT, data, rows.size() > limit, data.isEmpty() ? null : id.apply(data.get(0)),
                data.isEmpty() ? null : id.apply(data.get(data.size() - 1)));
    }

    /** A page whose {@code first_id} and {@code last_id} are written even when null. */
    record WithIds<T>(String object, List<T> data, boolean hasMore,
                      @JsonInclude(JsonInclude.Include.ALWAYS) String firstId,
                      @JsonInclude(JsonInclude.Include.ALWAYS) String lastId) {}

    private static <R, T> List<T> first(List<R> rows, int limit, Function<R, T> toApi) {
        return rows.subList(0, Math.min(limit, rows.size())).stream().map(toApi).toList();
    }
}
