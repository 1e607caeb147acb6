/**
 * A typed client for the OpenAI fine-tuning REST API, shaped like the official SDKs so that their Python
 * examples translate line by line. It talks to OpenAI, Azure OpenAI and any compatible server (such as the local
 * server at {@code http://127.0.0.1:PORT/v1}).
 *
 * <h2>Set-up</h2>
 * <pre>{@code
 * OpenAI client = OpenAI.fromEnv();   // OPENAI_API_KEY, OPENAI_BASE_URL, OPENAI_ORG_ID, OPENAI_PROJECT_ID, and
 *                                     // OPENAI_ADMIN_KEY for api.openai.com only
 * OpenAI local  = OpenAI.builder().apiKey("sk-local").baseUrl("http://127.0.0.1:7080/v1").build();
 * OpenAI azure  = OpenAI.azure().endpoint("https://x.openai.azure.com").apiKey(key)
 *                     .apiVersion("2025-04-01-preview").build();
 * }</pre>
 *
 * <h2>From Python to Java</h2>
 * <table>
 * <caption>Python SDK calls and their Java form</caption>
 * <tr><th>Python</th><th>Java</th></tr>
 * <tr><td>{@code client.files.create(file=f, purpose="fine-tune")}</td>
 *     <td>{@code client.files().create(Path.of("train.jsonl"), "fine-tune")}</td></tr>
 * <tr><td>{@code client.fine_tuning.jobs.create(model=m, training_file=id, method={"type": "dpo"})}</td>
 *     <td>{@code client.fineTuning().jobs().create(JobCreateParams.builder().model(m).trainingFile(id).method(Map.of("type", "dpo")).build())}
 *     or {@code create(Map.of("model", m, "training_file", id, "method", Map.of("type", "dpo")))}</td></tr>
 * <tr><td>{@code client.fine_tuning.jobs.retrieve(id)}, {@code .cancel(id)}, {@code .pause(id)}, {@code .resume(id)}</td>
 *     <td>{@code client.fineTuning().jobs().retrieve(id)}, {@code .cancel(id)}, {@code .pause(id)}, {@code .resume(id)}</td></tr>
 * <tr><td>{@code for job in client.fine_tuning.jobs.list(): ...}</td>
 *     <td>{@code for (FineTuningJob job : client.fineTuning().jobs().list()) ...}</td></tr>
 * <tr><td>{@code client.fine_tuning.jobs.list(limit=10, after=page1.data[-1].id)}</td>
 *     <td>{@code client.fineTuning().jobs().list(JobListParams.builder().limit(10).after(id).build())}</td></tr>
 * <tr><td>{@code client.fine_tuning.jobs.list_events(id, limit=5)}</td>
 *     <td>{@code client.fineTuning().jobs().listEvents(id, ListParams.builder().limit(5).build())}</td></tr>
 * <tr><td>{@code for event in events: ... if event.data: print(event.data)}</td>
 *     <td>{@code for (FineTuningJobEvent event : events) ... if (event.hasData()) System.out.println(event.data())}</td></tr>
 * <tr><td>{@code client.fine_tuning.jobs.checkpoints.list(id)}</td>
 *     <td>{@code client.fineTuning().jobs().checkpoints().list(id)}</td></tr>
 * <tr><td>{@code client.fine_tuning.checkpoints.permissions.create(fine_tuned_model_checkpoint=c, project_ids=[p])}</td>
 *     <td>{@code client.fineTuning().checkpoints().permissions().create(c, List.of(p))}</td></tr>
 * <tr><td>{@code client.fine_tuning.alpha.graders.run(grader=g, model_sample=s, item=i)}</td>
 *     <td>{@code client.fineTuning().alpha().graders().run(g, s, i)}</td></tr>
 * <tr><td>{@code client.chat.completions.create(model=m, messages=[...])}</td>
 *     <td>{@code client.chat().completions().create(Map.of("model", m, "messages", List.of(...)))}</td></tr>
 * <tr><td>{@code client.models.delete(m)}</td><td>{@code client.models().delete(m)}</td></tr>
 * <tr><td>{@code await AsyncOpenAI().fine_tuning.jobs.create(...)}</td>
 *     <td>{@code client.async().fineTuning().jobs().create(...)} (a {@code CompletableFuture})</td></tr>
 * <tr><td>{@code extra_headers=, extra_query=, extra_body=, timeout=}</td>
 *     <td>a last {@link dev.finetune4j.client.RequestOptions} argument</td></tr>
 * <tr><td>{@code client.with_options(max_retries=5, timeout=20)}</td>
 *     <td>{@code client.withOptions(o -> o.maxRetries(5).timeout(Duration.ofSeconds(20)))}</td></tr>
 * <tr><td>{@code client.fine_tuning.checkpoints.permissions.delete(permission_id, fine_tuned_model_checkpoint=c)}</td>
 *     <td>{@code client.fineTuning().checkpoints().permissions().delete(c, permissionId)} (checkpoint first)</td></tr>
 * <tr><td>{@code client.fine_tuning.jobs.with_raw_response.retrieve(id)}</td>
 *     <td>{@code client.withRawResponse(c -> c.fineTuning().jobs().retrieve(id))}</td></tr>
 * </table>
 *
 * <h2>Behaviour</h2>
 * Responses are the records of {@code dev.finetune4j.api}: fields the record does not name are kept in
 * {@code extra()}, and enum-like values (a job's {@code status}, including {@code paused}) are plain strings.
 * Errors raise {@link dev.finetune4j.client.ApiStatusException} subclasses by status (400 {@code BadRequest},
 * 401 {@code Authentication}, 403 {@code PermissionDenied}, 404 {@code NotFound}, 409 {@code Conflict},
 * 422 {@code UnprocessableEntity}, 429 {@code RateLimit}, 5xx {@code InternalServer}), or
 * {@link dev.finetune4j.client.ApiConnectionException} / {@link dev.finetune4j.client.ApiTimeoutException}.
 * Connection errors, timeouts and statuses 408, 409, 429 and 5xx are retried twice by default with the official
 * SDKs' backoff and {@code retry-after} handling; the default timeout is 600 s (5 s to connect). Lists are
 * {@link dev.finetune4j.client.CursorPage}s that fetch further pages lazily while iterated.
 */
package dev.finetune4j.client;
