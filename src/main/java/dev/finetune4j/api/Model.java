package dev.finetune4j.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import java.util.Map;

/**
 * A model ({@code object: "model"}). Note the field is {@code created}, not {@code created_at}.
 *
 * @param id the model's name, e.g. {@code gpt-4o-mini} or {@code ft:gpt-4o-mini:org:suffix:id}
 * @param object always {@code model}
 * @param created when the model was created, in Unix seconds
 * @param ownedBy {@code owned_by}: the owner, e.g. {@code openai}, {@code system} or your organisation for fine-tuned
 *        models
 * @param shutdownDate when the service retires the model, if announced; null otherwise
 * @param extra fields the record does not name, kept as they came (and written back out)
 */
public record Model(String id, String object, long created, String ownedBy,
                    @JsonInclude(Include.NON_NULL) String shutdownDate,
                    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
    /** The {@code object} value of a model. */
    public static final String OBJECT = "model";

    /** Reads a null {@code extra} as an empty map. */
    public Model {
        extra = Extra.of(extra);
    }

    /** A model with {@code object: "model"}, no shutdown date and no extra fields. */
    public Model(String id, long created, String ownedBy) {
        this(id, OBJECT, created, ownedBy, null, null);
    }
}
