package dev.finetune4j.client;

import dev.finetune4j.api.FineTuningJobCheckpoint;

/** {@code /fine_tuning/jobs/{id}/checkpoints}: the checkpoints a job saved. */
public final class JobCheckpointService {
    private final Transport transport;

    JobCheckpointService(Transport transport) {
        this.transport = transport;
    }

    /** A job's checkpoints, newest first: {@code jobs().checkpoints().list("ftjob-abc123")}. */
    public CursorPage<FineTuningJobCheckpoint> list(String jobId) {
        return list(jobId, ListParams.builder().build(), RequestOptions.NONE);
    }

    /** A job's checkpoints, paged by {@code params} ({@code after}, {@code limit}); iterating walks all pages. */
    public CursorPage<FineTuningJobCheckpoint> list(String jobId, ListParams params) {
        return list(jobId, params, RequestOptions.NONE);
    }

    /** As {@link #list(String, ListParams)}, with per-request options. */
    public CursorPage<FineTuningJobCheckpoint> list(String jobId, ListParams params, RequestOptions options) {
        return transport.page(
                ApiRequest.get(options, "fine_tuning", "jobs", jobId, "checkpoints").query(params.toQuery()),
                FineTuningJobCheckpoint.class, Cursors.lastItemId(FineTuningJobCheckpoint::id));
    }
}
