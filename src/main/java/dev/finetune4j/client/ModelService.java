package dev.finetune4j.client;

import dev.finetune4j.api.Deleted;
import dev.finetune4j.api.Model;

/** {@code /models}: list, retrieve and delete models (deleting works on your fine-tuned models). */
public final class ModelService {
    private final Transport transport;

    ModelService(Transport transport) {
        this.transport = transport;
    }

    /** All models (a single page): {@code client.models().list().data()}. */
    public CursorPage<Model> list() {
        return list(RequestOptions.NONE);
    }

    /** As {@link #list()}, with per-request options. */
    public CursorPage<Model> list(RequestOptions options) {
        return transport.page(ApiRequest.get(options, "models"), Model.class, null);
    }

    /** One model: {@code client.models().retrieve("gpt-4o-mini")}. */
    public Model retrieve(String model) {
        return retrieve(model, RequestOptions.NONE);
    }

    /** As {@link #retrieve(String)}, with per-request options. */
    public Model retrieve(String model, RequestOptions options) {
        return transport.json(ApiRequest.get(options, "models", model), Model.class);
    }

    /** Deletes a fine-tuned model: {@code client.models().delete("ft:gpt-4o-mini:org::abc").deleted()}. */
    public Deleted delete(String model) {
        return delete(model, RequestOptions.NONE);
    }

    /** As {@link #delete(String)}, with per-request options. */
    public Deleted delete(String model, RequestOptions options) {
        return transport.json(ApiRequest.delete(options, "models", model), Deleted.class);
    }
}
