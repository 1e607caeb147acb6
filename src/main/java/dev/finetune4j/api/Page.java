package dev.finetune4j.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import java.util.List;

/**
 * A list envelope: {@code object: "list"}, {@code data}, {@code has_more}, and for some lists
 * {@code first_id}/{@code last_id}. Models have no {@code has_more}; it then reads as false.
 */
public record Page<T>(String object, List<T> data, boolean hasMore,
                      @JsonInclude(Include.NON_NULL) String firstId,
                      @JsonInclude(Include.NON_NULL) String lastId) {
    public static final String OBJECT = "list";

    public Page {
        data = data == null ? List.of() : data;
    }

    public static <T> Page<T> of(List<T> data, boolean hasMore) {
        return new Page<>(OBJECT, data, hasMore, null, null);
    }
}
