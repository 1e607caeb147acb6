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
import java.util.function.LongConsumer;
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

    /** Async {@link OpenAI#files()}. */
    public Files files() {
        return files;
    }

    /** Async {@link OpenAI#uploads()}. */
    public Uploads uploads() {
        return uploads;
    }

    /** Async {@link OpenAI#fineTuning()}. */
    public FineTuning fineTuning() {
        return fineTuning;
    }

    /** Async {@link OpenAI#models()}. */
    public Models models() {
        return models;
    }

    /** Async {@link OpenAI#chat()}. */
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
        /** Async {@link FileService#create(Path, String)}. */
        public CompletableFuture<FileObject> create(Path file, String purpose) {
            return submit(() -> client.files().create(file, purpose));
        }

        /** Async {@link FileService#create(Path, String, RequestOptions)}. */
        public CompletableFuture<FileObject> create(Path file, String purpose, RequestOptions options) {
            return submit(() -> client.files().create(file, purpose, options));
        }

        /** Async {@link FileService#create(FileCreateParams)}. */
        public CompletableFuture<FileObject> create(FileCreateParams params) {
            return submit(() -> client.files().create(params));
        }

        /** Async {@link FileService#create(FileCreateParams, RequestOptions)}. */
        public CompletableFuture<FileObject> create(FileCreateParams params, RequestOptions options) {
            return submit(() -> client.files().create(params, options));
        }

        /** Async {@link FileService#list()}. */
        public CompletableFuture<CursorPage<FileObject>> list() {
            return submit(() -> client.files().list());
        }

        /** Async {@link FileService#list(FileListParams)}. */
        public CompletableFuture<CursorPage<FileObject>> list(FileListParams params) {
            return submit(() -> client.files().list(params));
        }

        /** Async {@link FileService#list(FileListParams, RequestOptions)}. */
        public CompletableFuture<CursorPage<FileObject>> list(FileListParams params, RequestOptions options) {
            return submit(() -> client.files().list(params, options));
        }

        /** Async {@link FileService#retrieve(String)}. */
        public CompletableFuture<FileObject> retrieve(String fileId) {
            return submit(() -> client.files().retrieve(fileId));
        }

        /** Async {@link FileService#retrieve(String, RequestOptions)}. */
        public CompletableFuture<FileObject> retrieve(String fileId, RequestOptions options) {
            return submit(() -> client.files().retrieve(fileId, options));
        }

        /** Async {@link FileService#delete(String)}. */
        public CompletableFuture<Deleted> delete(String fileId) {
            return submit(() -> client.files().delete(fileId));
        }

        /** Async {@link FileService#delete(String, RequestOptions)}. */
        public CompletableFuture<Deleted> delete(String fileId, RequestOptions options) {
            return submit(() -> client.files().delete(fileId, options));
        }

        /** Completes once the response headers arrived; the body is then read from the stream. */
        public CompletableFuture<InputStream> content(String fileId) {
            return submit(() -> client.files().content(fileId));
        }

        /** Async {@link FileService#content(String, RequestOptions)}. */
        public CompletableFuture<InputStream> content(String fileId, RequestOptions options) {
            return submit(() -> client.files().content(fileId, options));
        }

        /** Completes with the number of bytes written to {@code target}: {@code download(id, Path.of("out.jsonl"))}. */
        public CompletableFuture<Long> download(String fileId, Path target) {
            return submit(() -> client.files().download(fileId, target));
        }

        /** Async {@link FileService#download(String, Path, RequestOptions)}. */
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

        /** Async {@link UploadService#parts()}. */
        public UploadParts parts() {
            return parts;
        }

        /** Async {@link UploadService#create(UploadCreateParams)}. */
        public CompletableFuture<Upload> create(UploadCreateParams params) {
            return submit(() -> client.uploads().create(params));
        }

        /** Async {@link UploadService#create(UploadCreateParams, RequestOptions)}. */
        public CompletableFuture<Upload> create(UploadCreateParams params, RequestOptions options) {
            return submit(() -> client.uploads().create(params, options));
        }

        /** Async {@link UploadService#addPart(String, byte[])}. */
        public CompletableFuture<UploadPart> addPart(String uploadId, byte[] data) {
            return submit(() -> client.uploads().addPart(uploadId, data));
        }

        /** Async {@link UploadService#addPart(String, byte[], RequestOptions)}. */
        public CompletableFuture<UploadPart> addPart(String uploadId, byte[] data, RequestOptions options) {
            return submit(() -> client.uploads().addPart(uploadId, data, options));
        }

        /** Async {@link UploadService#addPart(String, Path, long, long)}. */
        public CompletableFuture<UploadPart> addPart(String uploadId, Path file, long offset, long length) {
            return submit(() -> client.uploads().addPart(uploadId, file, offset, length));
        }

        /** Async {@link UploadService#addPart(String, Path, long, long, RequestOptions)}. */
        public CompletableFuture<UploadPart> addPart(String uploadId, Path file, long offset, long length,
                                                     RequestOptions options) {
            return submit(() -> client.uploads().addPart(uploadId, file, offset, length, options));
        }

        /** Async {@link UploadService#complete(String, List)}. */
        public CompletableFuture<Upload> complete(String uploadId, List<String> partIds) {
            return submit(() -> client.uploads().complete(uploadId, partIds));
        }

        /** Async {@link UploadService#complete(String, List, String, RequestOptions)}. */
        public CompletableFuture<Upload> complete(String uploadId, List<String> partIds, String md5,
                                                  RequestOptions options) {
            return submit(() -> client.uploads().complete(uploadId, partIds, md5, options));
        }

        /** Async {@link UploadService#cancel(String)}. */
        public CompletableFuture<Upload> cancel(String uploadId) {
            return submit(() -> client.uploads().cancel(uploadId));
        }

        /** Async {@link UploadService#cancel(String, RequestOptions)}. */
        public CompletableFuture<Upload> cancel(String uploadId, RequestOptions options) {
            return submit(() -> client.uploads().cancel(uploadId, options));
        }

        /** Async {@link UploadService#uploadFile(Path, String, String)}. */
        public CompletableFuture<Upload> uploadFile(Path file, String purpose, String mimeType) {
            return submit(() -> client.uploads().uploadFile(file, purpose, mimeType));
        }

        /** Async {@link UploadService#uploadFile(Path, String, String, long)}. */
        public CompletableFuture<Upload> uploadFile(Path file, String purpose, String mimeType, long partBytes) {
            return submit(() -> client.uploads().uploadFile(file, purpose, mimeType, partBytes));
        }

        /** Async {@link UploadService#uploadFile(Path, String, String, long, LongConsumer)}. */
        public CompletableFuture<Upload> uploadFile(Path file, String purpose, String mimeType, long partBytes,
                                                   LongConsumer progress) {
            return submit(() -> client.uploads().uploadFile(file, purpose, mimeType, partBytes, progress));
        }
    }

    /** Async {@link UploadPartService}. */
    public final class UploadParts {
        /** Async {@link UploadPartService#create(String, byte[])}. */
        public CompletableFuture<UploadPart> create(String uploadId, byte[] data) {
            return submit(() -> client.uploads().parts().create(uploadId, data));
        }

        /** Async {@link UploadPartService#create(String, byte[], RequestOptions)}. */
        public CompletableFuture<UploadPart> create(String uploadId, byte[] data, RequestOptions options) {
            return submit(() -> client.uploads().parts().create(uploadId, data, options));
        }

        /** Async {@link UploadPartService#create(String, Path, long, long)}. */
        public CompletableFuture<UploadPart> create(String uploadId, Path file, long offset, long length) {
            return submit(() -> client.uploads().parts().create(uploadId, file, offset, length));
        }

        /** Async {@link UploadPartService#create(String, Path, long, long, RequestOptions)}. */
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

        /** Async {@link FineTuningService#jobs()}. */
        public Jobs jobs() {
            return jobs;
        }

        /** Async {@link FineTuningService#checkpoints()}. */
        public Checkpoints checkpoints() {
            return checkpoints;
        }

        /** Async {@link FineTuningService#alpha()}. */
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

        /** Async {@link JobService#checkpoints()}. */
        public JobCheckpoints checkpoints() {
            return checkpoints;
        }

        /** Async {@link JobService#create(JobCreateParams)}. */
        public CompletableFuture<FineTuningJob> create(JobCreateParams params) {
            return submit(() -> sync().create(params));
        }

        /** Async {@link JobService#create(JobCreateParams, RequestOptions)}. */
        public CompletableFuture<FineTuningJob> create(JobCreateParams params, RequestOptions options) {
            return submit(() -> sync().create(params, options));
        }

        /** Async {@link JobService#create(Map)}. */
        public CompletableFuture<FineTuningJob> create(Map<String, ?> body) {
            return submit(() -> sync().create(body));
        }

        /** Async {@link JobService#create(Map, RequestOptions)}. */
        public CompletableFuture<FineTuningJob> create(Map<String, ?> body, RequestOptions options) {
            return submit(() -> sync().create(body, options));
        }

        /** Async {@link JobService#retrieve(String)}. */
        public CompletableFuture<FineTuningJob> retrieve(String jobId) {
            return submit(() -> sync().retrieve(jobId));
        }

        /** Async {@link JobService#retrieve(String, RequestOptions)}. */
        public CompletableFuture<FineTuningJob> retrieve(String jobId, RequestOptions options) {
            return submit(() -> sync().retrieve(jobId, options));
        }

        /** Async {@link JobService#list()}. */
        public CompletableFuture<CursorPage<FineTuningJob>> list() {
            return submit(() -> sync().list());
        }

        /** Async {@link JobService#list(JobListParams)}. */
        public CompletableFuture<CursorPage<FineTuningJob>> list(JobListParams params) {
            return submit(() -> sync().list(params));
        }

        /** Async {@link JobService#list(JobListParams, RequestOptions)}. */
        public CompletableFuture<CursorPage<FineTuningJob>> list(JobListParams params, RequestOptions options) {
            return submit(() -> sync().list(params, options));
        }

        /** Async {@link JobService#cancel(String)}. */
        public CompletableFuture<FineTuningJob> cancel(String jobId) {
            return submit(() -> sync().cancel(jobId));
        }

        /** Async {@link JobService#cancel(String, RequestOptions)}. */
        public CompletableFuture<FineTuningJob> cancel(String jobId, RequestOptions options) {
            return submit(() -> sync().cancel(jobId, options));
        }

        /** Async {@link JobService#pause(String)}. */
        public CompletableFuture<FineTuningJob> pause(String jobId) {
            return submit(() -> sync().pause(jobId));
        }

        /** Async {@link JobService#pause(String, RequestOptions)}. */
        public CompletableFuture<FineTuningJob> pause(String jobId, RequestOptions options) {
            return submit(() -> sync().pause(jobId, options));
        }

        /** Async {@link JobService#resume(String)}. */
        public CompletableFuture<FineTuningJob> resume(String jobId) {
            return submit(() -> sync().resume(jobId));
        }

        /** Async {@link JobService#resume(String, RequestOptions)}. */
        public CompletableFuture<FineTuningJob> resume(String jobId, RequestOptions options) {
            return submit(() -> sync().resume(jobId, options));
        }

        /** Async {@link JobService#listEvents(String)}. */
        public CompletableFuture<CursorPage<FineTuningJobEvent>> listEvents(String jobId) {
            return submit(() -> sync().listEvents(jobId));
        }

        /** Async {@link JobService#listEvents(String, ListParams)}. */
        public CompletableFuture<CursorPage<FineTuningJobEvent>> listEvents(String jobId, ListParams params) {
            return submit(() -> sync().listEvents(jobId, params));
        }

        /** Async {@link JobService#listEvents(String, ListParams, RequestOptions)}. */
        public CompletableFuture<CursorPage<FineTuningJobEvent>> listEvents(String jobId, ListParams params,
                                                                           RequestOptions options) {
            return submit(() -> sync().listEvents(jobId, params, options));
        }
    }

    /** Async {@link JobCheckpointService}. */
    public final class JobCheckpoints {
        /** Async {@link JobCheckpointService#list(String)}. */
        public CompletableFuture<CursorPage<FineTuningJobCheckpoint>> list(String jobId) {
            return submit(() -> client.fineTuning().jobs().checkpoints().list(jobId));
        }

        /** Async {@link JobCheckpointService#list(String, ListParams)}. */
        public CompletableFuture<CursorPage<FineTuningJobCheckpoint>> list(String jobId, ListParams params) {
            return submit(() -> client.fineTuning().jobs().checkpoints().list(jobId, params));
        }

        /** Async {@link JobCheckpointService#list(String, ListParams, RequestOptions)}. */
        public CompletableFuture<CursorPage<FineTuningJobCheckpoint>> list(String jobId, ListParams params,
                                                                          RequestOptions options) {
            return submit(() -> client.fineTuning().jobs().checkpoints().list(jobId, params, options));
        }
    }

    /** Async {@link CheckpointService}. */
    public final class Checkpoints {
        private final Permissions permissions = new Permissions();

        /** Async {@link CheckpointService#permissions()}. */
        public Permissions permissions() {
            return permissions;
        }
    }

    /** Async {@link PermissionService}. */
    public final class Permissions {
        private PermissionService sync() {
            return client.fineTuning().checkpoints().permissions();
        }

        /** Async {@link PermissionService#create(String, List)}. */
        public CompletableFuture<CursorPage<CheckpointPermission>> create(String checkpoint, List<String> projectIds) {
            return submit(() -> sync().create(checkpoint, projectIds));
        }

        /** Async {@link PermissionService#create(String, List, RequestOptions)}. */
        public CompletableFuture<CursorPage<CheckpointPermission>> create(String checkpoint, List<String> projectIds,
                                                                         RequestOptions options) {
            return submit(() -> sync().create(checkpoint, projectIds, options));
        }

        /** Async {@link PermissionService#list(String)}. */
        public CompletableFuture<CursorPage<CheckpointPermission>> list(String checkpoint) {
            return submit(() -> sync().list(checkpoint));
        }

        /** Async {@link PermissionService#list(String, PermissionListParams)}. */
        public CompletableFuture<CursorPage<CheckpointPermission>> list(String checkpoint, PermissionListParams params) {
            return submit(() -> sync().list(checkpoint, params));
        }

        /** Async {@link PermissionService#list(String, PermissionListParams, RequestOptions)}. */
        public CompletableFuture<CursorPage<CheckpointPermission>> list(String checkpoint, PermissionListParams params,
                                                                       RequestOptions options) {
            return submit(() -> sync().list(checkpoint, params, options));
        }

        /** Async {@link PermissionService#retrieve(String)}. */
        public CompletableFuture<CursorPage<CheckpointPermission>> retrieve(String checkpoint) {
            return submit(() -> sync().retrieve(checkpoint));
        }

        /** Async {@link PermissionService#retrieve(String, PermissionListParams)}. */
        public CompletableFuture<CursorPage<CheckpointPermission>> retrieve(String checkpoint,
                                                                           PermissionListParams params) {
            return submit(() -> sync().retrieve(checkpoint, params));
        }

        /** Async {@link PermissionService#retrieve(String, PermissionListParams, RequestOptions)}. */
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

        /** Async {@link PermissionService#delete(String, String, RequestOptions)}. */
        public CompletableFuture<Deleted> delete(String checkpoint, String permissionId, RequestOptions options) {
            return submit(() -> sync().delete(checkpoint, permissionId, options));
        }
    }

    /** Async {@link AlphaService}. */
    public final class Alpha {
        private final Graders graders = new Graders();

        /** Async {@link AlphaService#graders()}. */
        public Graders graders() {
            return graders;
        }
    }

    /** Async {@link GraderService}. */
    public final class Graders {
        private GraderService sync() {
            return client.fineTuning().alpha().graders();
        }

        /** Async {@link GraderService#run(Map, String)}. */
        public CompletableFuture<GraderRunResponse> run(Map<String, ?> grader, String modelSample) {
            return submit(() -> sync().run(grader, modelSample));
        }

        /** Async {@link GraderService#run(Map, String, Object)}. */
        public CompletableFuture<GraderRunResponse> run(Map<String, ?> grader, String modelSample, Object item) {
            return submit(() -> sync().run(grader, modelSample, item));
        }

        /** Async {@link GraderService#run(Map, String, Object, RequestOptions)}. */
        public CompletableFuture<GraderRunResponse> run(Map<String, ?> grader, String modelSample, Object item,
                                                        RequestOptions options) {
            return submit(() -> sync().run(grader, modelSample, item, options));
        }

        /** Async {@link GraderService#validate(Map)}. */
        public CompletableFuture<GraderValidateResponse> validate(Map<String, ?> grader) {
            return submit(() -> sync().validate(grader));
        }

        /** Async {@link GraderService#validate(Map, RequestOptions)}. */
        public CompletableFuture<GraderValidateResponse> validate(Map<String, ?> grader, RequestOptions options) {
            return submit(() -> sync().validate(grader, options));
        }
    }

    /** Async {@link ModelService}. */
    public final class Models {
        /** Async {@link ModelService#list()}. */
        public CompletableFuture<CursorPage<Model>> list() {
            return submit(() -> client.models().list());
        }

        /** Async {@link ModelService#list(RequestOptions)}. */
        public CompletableFuture<CursorPage<Model>> list(RequestOptions options) {
            return submit(() -> client.models().list(options));
        }

        /** Async {@link ModelService#retrieve(String)}. */
        public CompletableFuture<Model> retrieve(String model) {
            return submit(() -> client.models().retrieve(model));
        }

        /** Async {@link ModelService#retrieve(String, RequestOptions)}. */
        public CompletableFuture<Model> retrieve(String model, RequestOptions options) {
            return submit(() -> client.models().retrieve(model, options));
        }

        /** Async {@link ModelService#delete(String)}. */
        public CompletableFuture<Deleted> delete(String model) {
            return submit(() -> client.models().delete(model));
        }

        /** Async {@link ModelService#delete(String, RequestOptions)}. */
        public CompletableFuture<Deleted> delete(String model, RequestOptions options) {
            return submit(() -> client.models().delete(model, options));
        }
    }

    /** Async {@link ChatService}. */
    public final class Chat {
        private final Completions completions = new Completions();

        /** Async {@link ChatService#completions()}. */
        public Completions completions() {
            return completions;
        }
    }

    /** Async {@link CompletionService}. */
    public final class Completions {
        private CompletionService sync() {
            return client.chat().completions();
        }

        /** Async {@link CompletionService#create(ChatCompletionCreateParams)}. */
        public CompletableFuture<ChatCompletion> create(ChatCompletionCreateParams params) {
            return submit(() -> sync().create(params));
        }

        /** Async {@link CompletionService#create(ChatCompletionCreateParams, RequestOptions)}. */
        public CompletableFuture<ChatCompletion> create(ChatCompletionCreateParams params, RequestOptions options) {
            return submit(() -> sync().create(params, options));
        }

        /** Async {@link CompletionService#create(Map)}. */
        public CompletableFuture<ChatCompletion> create(Map<String, ?> body) {
            return submit(() -> sync().create(body));
        }

        /** Async {@link CompletionService#create(Map, RequestOptions)}. */
        public CompletableFuture<ChatCompletion> create(Map<String, ?> body, RequestOptions options) {
            return submit(() -> sync().create(body, options));
        }

        /** Completes once the stream is open; its chunks are then read as they arrive. */
        public CompletableFuture<ChatCompletionStream> createStreaming(ChatCompletionCreateParams params) {
            return submit(() -> sync().createStreaming(params));
        }

        /** Async {@link CompletionService#createStreaming(ChatCompletionCreateParams, RequestOptions)}. */
        public CompletableFuture<ChatCompletionStream> createStreaming(ChatCompletionCreateParams params,
                                                                       RequestOptions options) {
            return submit(() -> sync().createStreaming(params, options));
        }

        /** Async {@link CompletionService#createStreaming(Map)}. */
        public CompletableFuture<ChatCompletionStream> createStreaming(Map<String, ?> body) {
            return submit(() -> sync().createStreaming(body));
        }

        /** Async {@link CompletionService#createStreaming(Map, RequestOptions)}. */
        public CompletableFuture<ChatCompletionStream> createStreaming(Map<String, ?> body, RequestOptions options) {
            return submit(() -> sync().createStreaming(body, options));
        }
    }
}
