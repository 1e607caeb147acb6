package dev.finetune4j.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.Map;

/** One part of a multipart upload ({@code object: "upload.part"}). */
public record UploadPart(String id, String object, long createdAt, String uploadId,
                         @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
    public static final String OBJECT = "upload.part";

    public UploadPart {
        extra = Extra.of(extra);
    }
}
