/**
 * The local OpenAI-compatible fine-tuning server: {@code LocalServer.start()} in-process, or
 * {@code scripts/ftserver [--port 7080] [--data ~/.finetune4j] [--host 127.0.0.1]} standalone
 * ({@link dev.finetune4j.server.ServerMain}). It serves the paths, parameters, JSON shapes and error bodies of
 * the OpenAI fine-tuning API under {@code /v1}: files, uploads, fine-tuning jobs (events, checkpoints, pause,
 * resume, cancel), checkpoint permissions, graders ({@code /fine_tuning/alpha/graders/run} and
 * {@code validate}, whose model graders sample the local models), models and chat completions, and it really
 * trains: supervised jobs run on the
 * {@code train} engine, and files are checked by the {@code data} validator while a job is
 * {@code validating_files}.
 *
 * <h2>Keys, projects, admin</h2>
 * Every request needs {@code Authorization: Bearer <key>} (none or unknown: 401). API keys belong to projects;
 * a key sees only its project's files, jobs, models and checkpoints (others answer 404). The data directory
 * starts with a default project, its dev key ({@link dev.finetune4j.server.LocalServer#apiKey()}, also in
 * {@code keys/default.key}) and an admin key ({@code keys/admin.key}); both files are readable by their owner
 * only, and the database keeps only hashes. The admin key acts for the default project on the ordinary
 * endpoints and alone may call (others: 403):
 * <ul>
 *   <li>{@code POST /v1/organization/projects {"name": "team-b"}} → {@code {"object": "organization.project",
 *       "id": "proj_…", "name": "team-b", "created_at": …, "status": "active", "api_key": "sk-proj-…"}}
 *       (from Java: {@code server.createProject("team-b")});</li>
 *   <li>{@code GET /v1/organization/projects} → {@code {"object": "list", "data": [project…]}};</li>
 *   <li>{@code POST /v1/organization/projects/{project_id}/api_keys} → {@code {"object":
 *       "organization.project.api_key", "project_id": …, "created_at": …, "value": "sk-proj-…"}};</li>
 *   <li>the checkpoint permission endpoints ({@code /v1/fine_tuning/checkpoints/{checkpoint}/permissions}): a
 *       project granted a checkpoint lists it in {@code /v1/models} and can chat with it.</li>
 * </ul>
 *
 * <h2>Models</h2>
 * Base models are the engine's configurations ({@code nano}, {@code micro}, {@code mini}; {@code owned_by}
 * {@code finetune4j}). OpenAI names are accepted as aliases: {@code babbage-002}, {@code davinci-002},
 * {@code gpt-3.5-turbo*} and {@code gpt-4.1-nano*} train {@code nano}; {@code gpt-4o-mini*},
 * {@code gpt-4.1-mini*} and {@code o4-mini*} train {@code micro}; {@code gpt-4o*} and {@code gpt-4.1*} train
 * {@code mini}. A job's first events say which configuration trains it. An unknown model on job creation is a
 * 400 ({@code param: "model"}, {@code code: "model_not_available"}), as the service answers; an unknown model
 * in a chat is a 404 {@code model_not_found}. A fine-tuned model ({@code ft:{base}:local:{suffix}:{8 chars of
 * the job id}}) may itself be fine-tuned further. Checkpoints are named {@code {model}:ckpt-step-{N}}: one per
 * epoch, the last three kept.
 *
 * <h2>Jobs</h2>
 * {@code validating_files → queued → running → succeeded | failed | cancelled}; pause takes a running job to
 * {@code paused}, resume takes it back to {@code queued} (in its place in the queue); a transition from a wrong
 * state is a 400
 * {@code invalid_job_state}. Jobs train one at a time by default ({@code maxConcurrentJobs}), on low-priority
 * threads; projects take turns, and a project's own jobs start first come first served. Events are listed newest first; {@code after} is the id of the last event of
 * the previous page and {@code limit} may reach 10000. Every step adds a {@code metrics} event whose
 * {@code data} holds the step metrics; the result file {@code step_metrics.csv} ({@code purpose:
 * fine-tune-results}) has the columns {@code step,train_loss,train_accuracy,valid_loss,valid_mean_token_accuracy}
 * ({@code step,train_reward_mean,valid_reward_mean,full_valid_reward_mean,train_kl} for reinforcement jobs).
 * W&amp;B integrations are validated and stored; the server does not reach W&amp;B and says so in an event.
 * Supervised, DPO and reinforcement jobs train. DPO's {@code beta} defaults to 0.1; its metrics are the DPO loss
 * and the token accuracy of the preferred answers. A reinforcement job samples answers to each prompt, grades them
 * with the job's grader (each example's JSON line is its {@code item}; model graders sample the project's models)
 * and reports {@code train_reward_mean}, {@code valid_reward_mean} and {@code full_valid_reward_mean} instead of
 * losses; a KL penalty (weight {@link dev.finetune4j.train.ReinforcementOptions#DEFAULT_KL}) holds the model near
 * the one the job starts from, and {@code train_kl} reports the divergence per token. {@code compute_multiplier}
 * multiplies the 4 answers sampled per prompt (2 to 32; {@code auto} is a multiplier of 4, 16 answers), {@code n_epochs}
 * {@code auto} is {@link dev.finetune4j.train.Hyperparameters#autoReinforcementEpochs}
 * (40, fewer for more than 125 prompts), so that the small local models learn,
 * {@code eval_interval} and {@code eval_samples} set how often and on how many validation prompts the reward is
 * measured, and the values used are written back into the job's method; {@code reasoning_effort} is recorded only
 * (the local models do not reason).
 *
 * <h2>Durability</h2>
 * Metadata live in {@code finetune4j.db} (SQLite, WAL, synchronous FULL); file contents are written to
 * {@code tmp/}, fsynced and renamed into {@code files/} before their row is inserted. A running job saves its
 * resume state (weights, optimizer, RNG, data position) at every epoch end, every N steps
 * ({@code resumeStateEverySteps}, default 25) and when paused or stopped. After a crash or a kill, the next
 * start removes orphan temp files and re-queues the jobs that were running: they continue from their last
 * resume state and end with the metrics of an uninterrupted run (steps after that state are replayed, their
 * events replaced).
 *
 * <h2>One writer per data directory</h2>
 * The owner holds an OS lock on {@code server.lock} and publishes {@code server.json} ({@code {"url", "pid"}}).
 * {@code LocalServer.start(dir)} on a directory that a live process serves returns a handle attached to it:
 * the owner's URL, and the keys read from {@code keys/}; closing that handle leaves the owner running.
 */
package dev.finetune4j.server;
