package dev.finetune4j.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.Map;

/**
 * One part of a multipart upload ({@code object: "upload.part"}).
 *
 * @param id the part's id ({@code part_...}), passed in order to {@code complete}
 * @param object always {@code upload.part}
 * @param createdAt when the part was added, in Unix seconds
 * @param uploadId {@code upload_id}: the upload the part belongs to
 * @param extra fields the record does not name, kept as they came (and written back out)
 */
public record UploadPart(String id, String object, long createdAt, String uploadId,
                         @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
    /** The {@code object} value of an upload part. */
    public static final String OBJECT = "upload.part";

    /** Reads a null {@code extra} as an empty map. */
    public UploadPart {
        extra = Extra.of(extra);
    }
}
