package dev.finetune4j.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import java.util.List;

/**
 * A list envelope: {@code object: "list"}, {@code data}, {@code has_more}, and for some lists
 * {@code first_id}/{@code last_id}. Models have no {@code has_more}; it then reads as false.
 *
 * @param object always {@code list}
 * @param data the items of this page
 * @param hasMore {@code has_more}: whether more items follow this page
 * @param firstId {@code first_id}: the first item's id, on lists that send it; else null
 * @param lastId {@code last_id}: the last item's id, the cursor of the next page on lists that send it; else null
 * @param <T> the item type
 */
public record Page<T>(String object, List<T> data, boolean hasMore,
                      @JsonInclude(Include.NON_NULL) String firstId,
                      @JsonInclude(Include.NON_NULL) String lastId) {
    /** The {@code object} value of a list. */
    public static final String OBJECT = "list";

    /** Reads a null {@code data} as an empty list. */
    public Page {
        // a null item (a compatible service's odd answer) would fail the caller's loop, far from here
        data = data == null ? List.of() : data.stream().filter(java.util.Objects::nonNull).toList();
    }

    /** A page of {@code data} without first and last ids. */
    public static <T> Page<T> of(List<T> data, boolean hasMore) {
        return new Page<>(OBJECT, data, hasMore, null, null);
    }
}
