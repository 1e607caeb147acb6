package dev.finetune4j.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import java.util.Map;

/**
 * An uploaded file ({@code object: "file"}). {@code purpose} and {@code status} are kept as strings.
 *
 * @param id the file's id ({@code file-...})
 * @param object always {@code file}
 * @param bytes the file's size in bytes
 * @param createdAt {@code created_at}: when the file was uploaded, in Unix seconds
 * @param expiresAt {@code expires_at}: when the file expires, in Unix seconds; null when it does not
 * @param filename the file's name
 * @param purpose the file's purpose, e.g. {@code fine-tune} (see {@link FilePurpose})
 * @param status deprecated by the API: {@code uploaded}, {@code processed} or {@code error}
 * @param statusDetails {@code status_details}: deprecated by the API; why validation failed, or null
 * @param extra fields the record does not name, kept as they came (and written back out)
 */
public record FileObject(String id, String object, long bytes, long createdAt,
                         @JsonInclude(Include.NON_NULL) Long expiresAt,
                         String filename, String purpose, String status,
                         @JsonInclude(Include.NON_NULL) String statusDetails,
                         @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
    /** The {@code object} value of a file. */
    public static final String OBJECT = "file";

    /** Reads a null {@code extra} as an empty map. */
    public FileObject {
        extra = Extra.of(extra);
    }

    /** A file with {@code object: "file"}, no status details and no extra fields. */
    public FileObject(String id, long bytes, long createdAt, Long expiresAt, String filename, String purpose,
                      String status) {
        this(id, OBJECT, bytes, createdAt, expiresAt, filename, purpose, status, null, null);
    }
}
