package dev.finetune4j.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import java.util.Map;

/** A model ({@code object: "model"}). Note the field is {@code created}, not {@code created_at}. */
public record Model(String id, String object, long created, String ownedBy,
                    @JsonInclude(Include.NON_NULL) String shutdownDate,
                    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
    public static final String OBJECT = "model";

    public Model {
        extra = Extra.of(extra);
    }

    public Model(String id, long created, String ownedBy) {
        this(id, OBJECT, created, ownedBy, null, null);
    }
}
