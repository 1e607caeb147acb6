package dev.finetune4j.client;

import dev.finetune4j.api.ChatCompletion;
import dev.finetune4j.api.CheckpointPermission;
import dev.finetune4j.api.Deleted;
import dev.finetune4j.api.FileObject;
import dev.finetune4j.api.FineTuningJob;
import dev.finetune4j.api.FineTuningJobCheckpoint;
import dev.finetune4j.api.FineTuningJobEvent;
import dev.finetune4j.api.GraderRunResponse;
import dev.finetune4j.api.GraderValidateResponse;
import dev.finetune4j.api.Model;
import dev.finetune4j.api.Upload;
import dev.finetune4j.api.UploadPart;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import okhttp3.Call;

/**
 * Every call of {@link OpenAI} in a non-blocking form: each answers a {@link CompletableFuture} that completes on a
 * client thread (failing with the same exceptions the blocking call throws). Example:
 * {@code client.async().fineTuning().jobs().create(params).thenAccept(job -> System.out.println(job.id()))}.
 */
public final class AsyncOpenAI {
    private final OpenAI client;
    private final Executor executor;
    private final Files files = new Files();
    private final Uploads uploads = new Uploads();
    private final FineTuning fineTuning = new FineTuning();
    private final Models models = new Models();
    private final Chat chat = new Chat();

    AsyncOpenAI(OpenAI client, Executor executor) {
        this.client = client;
        this.executor = executor;
    }

    public Files files() {
        return files;
    }

    public Uploads uploads() {
        return uploads;
    }

    public FineTuning fineTuning() {
        return fineTuning;
    }

    public Models models() {
        return models;
    }

    public Chat chat() {
        return chat;
    }

    /** Runs any blocking call on the client's threads: {@code async().run(c -> c.files().list().data())}. */
    public <T> CompletableFuture<T> run(java.util.function.Function<OpenAI, T> call) {
        return submit(() -> call.apply(client));
    }

    /** Runs {@code call} on a client thread; cancelling the future cancels the HTTP call it is making. */
    private <T> CompletableFuture<T> submit(Supplier<T> call) {
        CompletableFuture<T> future = new CompletableFuture<>();
        AtomicReference<Call> current = new AtomicReference<>();
        future.whenComplete((value, failure) -> {
            Call c = current.get();
            if (future.isCancelled() && c != null) c.cancel();
        });
        try {
            executor.execute(() -> {
                if (future.isDone()) return; // cancelled before it started
                Transport.watchingCalls(c -> {
                    current.set(c);
                    if (future.isCancelled()) c.cancel();
                }, () -> {
                    try {
                        future.complete(call.get());
                    } catch (CompletionException e) {
                        future.completeExceptionally(e.getCause() != null ? e.getCause() : e);
                    } catch (Throwable e) {
                        future.completeExceptionally(e);
                    }
                });
            });
        } catch (RejectedExecutionException e) {
            future.completeExceptionally(new OpenAIException("This client is closed: make a new one to send requests",
                    e));
        }
        return future;
    }

    /** Async {@link FileService}. */
    public final class Files {
        public CompletableFuture<FileObject> create(Path file, String purpose) {
            return submit(() -> client.files().create(file, purpose));
        }

        public CompletableFuture<FileObject> create(Path file, String purpose, RequestOptions options) {
            return submit(() -> client.files().create(file, purpose, options));
        }

        public CompletableFuture<FileObject> create(FileCreateParams params) {
            return submit(() -> client.files().create(params));
        }

        public CompletableFuture<FileObject> create(FileCreateParams params, RequestOptions options) {
            return submit(() -> client.files().create(params, options));
        }

        public CompletableFuture<CursorPage<FileObject>> list() {
            return submit(() -> client.files().list());
        }

        public CompletableFuture<CursorPage<FileObject>> list(FileListParams params) {
            return submit(() -> client.files().list(params));
        }

        public CompletableFuture<CursorPage<FileObject>> list(FileListParams params, RequestOptions options) {
            return submit(() -> client.files().list(params, options));
        }

        public CompletableFuture<FileObject> retrieve(String fileId) {
            return submit(() -> client.files().retrieve(fileId));
        }

        public CompletableFuture<FileObject> retrieve(String fileId, RequestOptions options) {
            return submit(() -> client.files().retrieve(fileId, options));
        }

        public CompletableFuture<Deleted> delete(String fileId) {
            return submit(() -> client.files().delete(fileId));
        }

        public CompletableFuture<Deleted> delete(String fileId, RequestOptions options) {
            return submit(() -> client.files().delete(fileId, options));
        }

        /** Completes once the response headers arrived; the body is then read from the stream. */
        public CompletableFuture<InputStream> content(String fileId) {
            return submit(() -> client.files().content(fileId));
        }

        public CompletableFuture<InputStream> content(String fileId, RequestOptions options) {
            return submit(() -> client.files().content(fileId, options));
        }

        /** Completes with the number of bytes written to {@code target}: {@code download(id, Path.of("out.jsonl"))}. */
        public CompletableFuture<Long> download(String fileId, Path target) {
            return submit(() -> client.files().download(fileId, target));
        }

        public CompletableFuture<Long> download(String fileId, Path target, RequestOptions options) {
            return submit(() -> client.files().download(fileId, target, options));
        }

        /** Completes with the content as UTF-8 text: {@code contentAsString(job.resultFiles().get(0))}. */
        public CompletableFuture<String> contentAsString(String fileId) {
            return submit(() -> client.files().contentAsString(fileId));
        }
    }

    /** Async {@link UploadService}. */
    public final class Uploads {
        private final UploadParts parts = new UploadParts();

        public UploadParts parts() {
            return parts;
        }

        public CompletableFuture<Upload> create(UploadCreateParams params) {
            return submit(() -> client.uploads().create(params));
        }

        public CompletableFuture<Upload> create(UploadCreateParams params, RequestOptions options) {
            return submit(() -> client.uploads().create(params, options));
        }

        public CompletableFuture<UploadPart> addPart(String uploadId, byte[] data) {
            return submit(() -> client.uploads().addPart(uploadId, data));
        }

        public CompletableFuture<UploadPart> addPart(String uploadId, byte[] data, RequestOptions options) {
            return submit(() -> client.uploads().addPart(uploadId, data, options));
        }

        public CompletableFuture<UploadPart> addPart(String uploadId, Path file, long offset, long length) {
            return submit(() -> client.uploads().addPart(uploadId, file, offset, length));
        }

        public CompletableFuture<UploadPart> addPart(String uploadId, Path file, long offset, long length,
                                                     RequestOptions options) {
            return submit(() -> client.uploads().addPart(uploadId, file, offset, length, options));
        }

        public CompletableFuture<Upload> complete(String uploadId, List<String> partIds) {
            return submit(() -> client.uploads().complete(uploadId, partIds));
        }

        public CompletableFuture<Upload> complete(String uploadId, List<String> partIds, String md5,
                                                  RequestOptions options) {
            return submit(() -> client.uploads().complete(uploadId, partIds, md5, options));
        }

        public CompletableFuture<Upload> cancel(String uploadId) {
            return submit(() -> client.uploads().cancel(uploadId));
        }

        public CompletableFuture<Upload> cancel(String uploadId, RequestOptions options) {
            return submit(() -> client.uploads().cancel(uploadId, options));
        }

        public CompletableFuture<Upload> uploadFile(Path file, String purpose, String mimeType) {
            return submit(() -> client.uploads().uploadFile(file, purpose, mimeType));
        }

        public CompletableFuture<Upload> uploadFile(Path file, String purpose, String mimeType, long partBytes) {
            return submit(() -> client.uploads().uploadFile(file, purpose, mimeType, partBytes));
        }
    }

    /** Async {@link UploadPartService}. */
    public final class UploadParts {
        public CompletableFuture<UploadPart> create(String uploadId, byte[] data) {
            return submit(() -> client.uploads().parts().create(uploadId, data));
        }

        public CompletableFuture<UploadPart> create(String uploadId, byte[] data, RequestOptions options) {
            return submit(() -> client.uploads().parts().create(uploadId, data, options));
        }

        public CompletableFuture<UploadPart> create(String uploadId, Path file, long offset, long length) {
            return submit(() -> client.uploads().parts().create(uploadId, file, offset, length));
        }

        public CompletableFuture<UploadPart> create(String uploadId, Path file, long offset, long length,
                                                    RequestOptions options) {
            return submit(() -> client.uploads().parts().create(uploadId, file, offset, length, options));
        }
    }

    /** Async {@link FineTuningService}. */
    public final class FineTuning {
        private final Jobs jobs = new Jobs();
        private final Checkpoints checkpoints = new Checkpoints();
        private final Alpha alpha = new Alpha();

        public Jobs jobs() {
            return jobs;
        }

        public Checkpoints checkpoints() {
            return checkpoints;
        }

        public Alpha alpha() {
            return alpha;
        }
    }

    /** Async {@link JobService}. */
    public final class Jobs {
        private final JobCheckpoints checkpoints = new JobCheckpoints();

        private JobService sync() {
            return client.fineTuning().jobs();
        }

        public JobCheckpoints checkpoints() {
            return checkpoints;
        }

        public CompletableFuture<FineTuningJob> create(JobCreateParams params) {
            return submit(() -> sync().create(params));
        }

        public CompletableFuture<FineTuningJob> create(JobCreateParams params, RequestOptions options) {
            return submit(() -> sync().create(params, options));
        }

        public CompletableFuture<FineTuningJob> create(Map<String, ?> body) {
            return submit(() -> sync().create(body));
        }

        public CompletableFuture<FineTuningJob> create(Map<String, ?> body, RequestOptions options) {
            return submit(() -> sync().create(body, options));
        }

        public CompletableFuture<FineTuningJob> retrieve(String jobId) {
            return submit(() -> sync().retrieve(jobId));
        }

        public CompletableFuture<FineTuningJob> retrieve(String jobId, RequestOptions options) {
            return submit(() -> sync().retrieve(jobId, options));
        }

        public CompletableFuture<CursorPage<FineTuningJob>> list() {
            return submit(() -> sync().list());
        }

        public CompletableFuture<CursorPage<FineTuningJob>> list(JobListParams params) {
            return submit(() -> sync().list(params));
        }

        public CompletableFuture<CursorPage<FineTuningJob>> list(JobListParams params, RequestOptions options) {
            return submit(() -> sync().list(params, options));
        }

        public CompletableFuture<FineTuningJob> cancel(String jobId) {
            return submit(() -> sync().cancel(jobId));
        }

        public CompletableFuture<FineTuningJob> cancel(String jobId, RequestOptions options) {
            return submit(() -> sync().cancel(jobId, options));
        }

        public CompletableFuture<FineTuningJob> pause(String jobId) {
            return submit(() -> sync().pause(jobId));
        }

        public CompletableFuture<FineTuningJob> pause(String jobId, RequestOptions options) {
            return submit(() -> sync().pause(jobId, options));
        }

        public CompletableFuture<FineTuningJob> resume(String jobId) {
            return submit(() -> sync().resume(jobId));
        }

        public CompletableFuture<FineTuningJob> resume(String jobId, RequestOptions options) {
            return submit(() -> sync().resume(jobId, options));
        }

        public CompletableFuture<CursorPage<FineTuningJobEvent>> listEvents(String jobId) {
            return submit(() -> sync().listEvents(jobId));
        }

        public CompletableFuture<CursorPage<FineTuningJobEvent>> listEvents(String jobId, ListParams params) {
            return submit(() -> sync().listEvents(jobId, params));
        }

        public CompletableFuture<CursorPage<FineTuningJobEvent>> listEvents(String jobId, ListParams params,
                                                                           RequestOptions options) {
            return submit(() -> sync().listEvents(jobId, params, options));
        }
    }

    /** Async {@link JobCheckpointService}. */
    public final class JobCheckpoints {
        public CompletableFuture<CursorPage<FineTuningJobCheckpoint>> list(String jobId) {
            return submit(() -> client.fineTuning().jobs().checkpoints().list(jobId));
        }

        public CompletableFuture<CursorPage<FineTuningJobCheckpoint>> list(String jobId, ListParams params) {
            return submit(() -> client.fineTuning().jobs().checkpoints().list(jobId, params));
        }

        public CompletableFuture<CursorPage<FineTuningJobCheckpoint>> list(String jobId, ListParams params,
                                                                          RequestOptions options) {
            return submit(() -> client.fineTuning().jobs().checkpoints().list(jobId, params, options));
        }
    }

    /** Async {@link CheckpointService}. */
    public final class Checkpoints {
        private final Permissions permissions = new Permissions();

        public Permissions permissions() {
            return permissions;
        }
    }

    /** Async {@link PermissionService}. */
    public final class Permissions {
        private PermissionService sync() {
            return client.fineTuning().checkpoints().permissions();
        }

        public CompletableFuture<CursorPage<CheckpointPermission>> create(String checkpoint, List<String> projectIds) {
            return submit(() -> sync().create(checkpoint, projectIds));
        }

        public CompletableFuture<CursorPage<CheckpointPermission>> create(String checkpoint, List<String> projectIds,
                                                                         RequestOptions options) {
            return submit(() -> sync().create(checkpoint, projectIds, options));
        }

        public CompletableFuture<CursorPage<CheckpointPermission>> list(String checkpoint) {
            return submit(() -> sync().list(checkpoint));
        }

        public CompletableFuture<CursorPage<CheckpointPermission>> list(String checkpoint, PermissionListParams params) {
            return submit(() -> sync().list(checkpoint, params));
        }

        public CompletableFuture<CursorPage<CheckpointPermission>> list(String checkpoint, PermissionListParams params,
                                                                       RequestOptions options) {
            return submit(() -> sync().list(checkpoint, params, options));
        }

        public CompletableFuture<CursorPage<CheckpointPermission>> retrieve(String checkpoint) {
            return submit(() -> sync().retrieve(checkpoint));
        }

        public CompletableFuture<CursorPage<CheckpointPermission>> retrieve(String checkpoint,
                                                                           PermissionListParams params) {
            return submit(() -> sync().retrieve(checkpoint, params));
        }

        public CompletableFuture<CursorPage<CheckpointPermission>> retrieve(String checkpoint,
                                                                           PermissionListParams params,
                                                                           RequestOptions options) {
            return submit(() -> sync().retrieve(checkpoint, params, options));
        }

        /**
         * Revokes a permission: the checkpoint first, then the permission id, as {@link PermissionService#delete};
         * swapped arguments fail the future with an {@link IllegalArgumentException}. Example:
         * {@code delete("ft:gpt-4o-mini:org:weather:7p4lURel:ckpt-step-10", "cp_abc123")}.
         */
        public CompletableFuture<Deleted> delete(String checkpoint, String permissionId) {
            return submit(() -> sync().delete(checkpoint, permissionId));
        }

        public CompletableFuture<Deleted> delete(String checkpoint, String permissionId, RequestOptions options) {
            return submit(() -> sync().delete(checkpoint, permissionId, options));
        }
    }

    /** Async {@link AlphaService}. */
    public final class Alpha {
        private final Graders graders = new Graders();

        public Graders graders() {
            return graders;
        }
    }

    /** Async {@link GraderService}. */
    public final class Graders {
        private GraderService sync() {
            return client.fineTuning().alpha().graders();
        }

        public CompletableFuture<GraderRunResponse> run(Map<String, ?> grader, String modelSample) {
            return submit(() -> sync().run(grader, modelSample));
        }

        public CompletableFuture<GraderRunResponse> run(Map<String, ?> grader, String modelSample, Object item) {
            return submit(() -> sync().run(grader, modelSample, item));
        }

        public CompletableFuture<GraderRunResponse> run(Map<String, ?> grader, String modelSample, Object item,
                                                        RequestOptions options) {
            return submit(() -> sync().run(grader, modelSample, item, options));
        }

        public CompletableFuture<GraderValidateResponse> validate(Map<String, ?> grader) {
            return submit(() -> sync().validate(grader));
        }

        public CompletableFuture<GraderValidateResponse> validate(Map<String, ?> grader, RequestOptions options) {
            return submit(() -> sync().validate(grader, options));
        }
    }

    /** Async {@link ModelService}. */
    public final class Models {
        public CompletableFuture<CursorPage<Model>> list() {
            return submit(() -> client.models().list());
        }

        public CompletableFuture<CursorPage<Model>> list(RequestOptions options) {
            return submit(() -> client.models().list(options));
        }

        public CompletableFuture<Model> retrieve(String model) {
            return submit(() -> client.models().retrieve(model));
        }

        public CompletableFuture<Model> retrieve(String model, RequestOptions options) {
            return submit(() -> client.models().retrieve(model, options));
        }

        public CompletableFuture<Deleted> delete(String model) {
            return submit(() -> client.models().delete(model));
        }

        public CompletableFuture<Deleted> delete(String model, RequestOptions options) {
            return submit(() -> client.models().delete(model, options));
        }
    }

    /** Async {@link ChatService}. */
    public final class Chat {
        private final Completions completions = new Completions();

        public Completions completions() {
            return completions;
        }
    }

    /** Async {@link CompletionService}. */
    public final class Completions {
        private CompletionService sync() {
            return client.chat().completions();
        }

        public CompletableFuture<ChatCompletion> create(ChatCompletionCreateParams params) {
            return submit(() -> sync().create(params));
        }

        public CompletableFuture<ChatCompletion> create(ChatCompletionCreateParams params, RequestOptions options) {
            return submit(() -> sync().create(params, options));
        }

        public CompletableFuture<ChatCompletion> create(Map<String, ?> body) {
            return submit(() -> sync().create(body));
        }

        public CompletableFuture<ChatCompletion> create(Map<String, ?> body, RequestOptions options) {
            return submit(() -> sync().create(body, options));
        }

        /** Completes once the stream is open; its chunks are then read as they arrive. */
        public CompletableFuture<ChatCompletionStream> createStreaming(ChatCompletionCreateParams params) {
            return submit(() -> sync().createStreaming(params));
        }

        public CompletableFuture<ChatCompletionStream> createStreaming(ChatCompletionCreateParams params,
                                                                       RequestOptions options) {
            return submit(() -> sync().createStreaming(params, options));
        }

        public CompletableFuture<ChatCompletionStream> createStreaming(Map<String, ?> body) {
            return submit(() -> sync().createStreaming(body));
        }

        public CompletableFuture<ChatCompletionStream> createStreaming(Map<String, ?> body, RequestOptions options) {
            return submit(() -> sync().createStreaming(body, options));
        }
    }
}
