package dev.finetune4j.client;

import dev.finetune4j.api.FineTuningJob;
import dev.finetune4j.api.FineTuningJobEvent;
import java.util.Map;

/** {@code /fine_tuning/jobs}: create, retrieve, list, cancel, pause and resume jobs, list their events. */
public final class JobService {
    private final Transport transport;
    private final JobCheckpointService checkpoints;

    JobService(Transport transport) {
        this.transport = transport;
        this.checkpoints = new JobCheckpointService(transport);
    }

    /** The checkpoints of a job: {@code client.fineTuning().jobs().checkpoints().list(jobId)}. */
    public JobCheckpointService checkpoints() {
        return checkpoints;
    }

    /** Starts a job: {@code jobs().create(JobCreateParams.builder().model("gpt-4o-mini").trainingFile(id).build())}. */
    public FineTuningJob create(JobCreateParams params) {
        return create(params, RequestOptions.NONE);
    }

    /** As {@link #create(JobCreateParams)}, with per-request options. */
    public FineTuningJob create(JobCreateParams params, RequestOptions options) {
        return transport.json(ApiRequest.post(options, "fine_tuning", "jobs").body(params.toMap()),
                FineTuningJob.class);
    }

    /** Starts a job from the API's snake_case body: {@code jobs().create(Map.of("model", m, "training_file", id))}. */
    public FineTuningJob create(Map<String, ?> body) {
        return create(JobCreateParams.of(body), RequestOptions.NONE);
    }

    /** As {@link #create(Map)}, with per-request options. */
    public FineTuningJob create(Map<String, ?> body, RequestOptions options) {
        return create(JobCreateParams.of(body), options);
    }

    /** A job's current state: {@code jobs().retrieve("ftjob-abc123").status()}. */
    public FineTuningJob retrieve(String jobId) {
        return retrieve(jobId, RequestOptions.NONE);
    }

    /** As {@link #retrieve(String)}, with per-request options. */
    public FineTuningJob retrieve(String jobId, RequestOptions options) {
        return transport.json(ApiRequest.get(options, "fine_tuning", "jobs", jobId), FineTuningJob.class);
    }

    /** Lists jobs; iterate it to walk all pages: {@code for (FineTuningJob j : jobs().list()) ...}. */
    public CursorPage<FineTuningJob> list() {
        return list(JobListParams.builder().build(), RequestOptions.NONE);
    }

    /** Lists jobs filtered and paged by {@code params} (metadata, page size); iterating walks all pages. */
    public CursorPage<FineTuningJob> list(JobListParams params) {
        return list(params, RequestOptions.NONE);
    }

    /** As {@link #list(JobListParams)}, with per-request options. */
    public CursorPage<FineTuningJob> list(JobListParams params, RequestOptions options) {
        return transport.page(ApiRequest.get(options, "fine_tuning", "jobs").query(params.toQuery()),
                FineTuningJob.class, Cursors.lastItemId(FineTuningJob::id));
    }

    /** Cancels a job: {@code jobs().cancel("ftjob-abc123")}. */
    public FineTuningJob cancel(String jobId) {
        return cancel(jobId, RequestOptions.NONE);
    }

    /** As {@link #cancel(String)}, with per-request options. */
    public FineTuningJob cancel(String jobId, RequestOptions options) {
        return transport.json(ApiRequest.post(options, "fine_tuning", "jobs", jobId, "cancel"), FineTuningJob.class);
    }

    /** Pauses a running job (status {@code paused}): {@code jobs().pause("ftjob-abc123")}. */
    public FineTuningJob pause(String jobId) {
        return pause(jobId, RequestOptions.NONE);
    }

    /** As {@link #pause(String)}, with per-request options. */
    public FineTuningJob pause(String jobId, RequestOptions options) {
        return transport.json(ApiRequest.post(options, "fine_tuning", "jobs", jobId, "pause"), FineTuningJob.class);
    }

    /** Resumes a paused job: {@code jobs().resume("ftjob-abc123")}. */
    public FineTuningJob resume(String jobId) {
        return resume(jobId, RequestOptions.NONE);
    }

    /** As {@link #resume(String)}, with per-request options. */
    public FineTuningJob resume(String jobId, RequestOptions options) {
        return transport.json(ApiRequest.post(options, "fine_tuning", "jobs", jobId, "resume"), FineTuningJob.class);
    }

    /** A job's events, newest first: {@code for (FineTuningJobEvent e : jobs().listEvents(id)) ...}. */
    public CursorPage<FineTuningJobEvent> listEvents(String jobId) {
        return listEvents(jobId, ListParams.builder().build(), RequestOptions.NONE);
    }

    /** A job's events, paged by {@code params} ({@code after}, {@code limit}); iterating walks all pages. */
    public CursorPage<FineTuningJobEvent> listEvents(String jobId, ListParams params) {
        return listEvents(jobId, params, RequestOptions.NONE);
    }

    /** As {@link #listEvents(String, ListParams)}, with per-request options. */
    public CursorPage<FineTuningJobEvent> listEvents(String jobId, ListParams params, RequestOptions options) {
        return transport.page(ApiRequest.get(options, "fine_tuning", "jobs", jobId, "events").query(params.toQuery()),
                FineTuningJobEvent.class, Cursors.lastItemId(FineTuningJobEvent::id));
    }
}
