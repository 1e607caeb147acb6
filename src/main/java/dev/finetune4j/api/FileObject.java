package dev.finetune4j.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import java.util.Map;

/** An uploaded file ({@code object: "file"}). {@code purpose} and {@code status} are kept as strings. */
public record FileObject(String id, String object, long bytes, long createdAt,
                         @JsonInclude(Include.NON_NULL) Long expiresAt,
                         String filename, String purpose, String status,
                         @JsonInclude(Include.NON_NULL) String statusDetails,
                         @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
    public static final String OBJECT = "file";

    public FileObject {
        extra = Extra.of(extra);
    }

    public FileObject(String id, long bytes, long createdAt, Long expiresAt, String filename, String purpose,
                      String status) {
        this(id, OBJECT, bytes, createdAt, expiresAt, filename, purpose, status, null, null);
    }
}
