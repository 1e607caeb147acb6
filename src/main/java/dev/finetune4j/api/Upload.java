package dev.finetune4j.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import java.util.Map;

/** A multipart upload ({@code object: "upload"}): status {@code pending|completed|cancelled|expired}. */
public record Upload(String id, @JsonInclude(Include.NON_NULL) String object, long createdAt, String filename,
                     long bytes, String purpose, String status, long expiresAt,
                     @JsonInclude(Include.NON_NULL) FileObject file,
                     @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
    public static final String OBJECT = "upload";

    public Upload {
        extra = Extra.of(extra);
    }
}
