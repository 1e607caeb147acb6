package dev.finetune4j.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import java.util.Map;

/**
 * A multipart upload ({@code object: "upload"}): status {@code pending|completed|cancelled|expired}.
 *
 * @param id the upload's id ({@code upload_...})
 * @param object always {@code upload}
 * @param createdAt when the upload was opened, in Unix seconds
 * @param filename the name the resulting file gets
 * @param bytes the total size the parts must add up to
 * @param purpose the resulting file's purpose, e.g. {@code fine-tune}
 * @param status {@code pending}, {@code completed}, {@code cancelled} or {@code expired}
 * @param expiresAt when an upload not completed by then expires, in Unix seconds (an hour after creation)
 * @param file the resulting file once completed; null before
 * @param extra fields the record does not name, kept as they came (and written back out)
 */
public record Upload(String id, @JsonInclude(Include.NON_NULL) String object, long createdAt, String filename,
                     long bytes, String purpose, String status, long expiresAt,
                     @JsonInclude(Include.NON_NULL) FileObject file,
                     @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
    /** The {@code object} value of an upload. */
    public static final String OBJECT = "upload";

    /** Reads a null {@code extra} as an empty map. */
    public Upload {
        extra = Extra.of(extra);
    }
}
