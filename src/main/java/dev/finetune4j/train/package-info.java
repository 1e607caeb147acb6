/**
 * The training engine: a GPT-2-style model trained and sampled in pure Java (no dependency beyond the JDK).
 *
 * <h2>Model</h2>
 * {@link dev.finetune4j.train.GptConfig} is a shape ({@code GptConfig.named("nano")}, {@code "micro"}, {@code "mini"},
 * or {@code new GptConfig(name, vocab, context, layers, heads, dim)}). {@link dev.finetune4j.train.GptModel} holds the
 * weights under GPT-2's tensor names: {@code GptModel.base("nano")} is the deterministic base model (the preset
 * initialised from {@link dev.finetune4j.train.GptModel#BASE_SEED}), {@code GptModel.init(config, seed)} any other,
 * {@code model.save(path)} / {@code GptModel.load(path)} the model file.
 *
 * <h2>Chat data</h2>
 * {@link dev.finetune4j.train.ChatMessage} (role, content, trained) and {@link dev.finetune4j.train.ChatExample}
 * (messages). {@link dev.finetune4j.train.ChatTemplate} renders each message as {@code <|start|>role\ncontent<|end|>}
 * over byte tokens ({@link dev.finetune4j.train.ByteTokenizer}: 256 bytes + start, end, pad = 259 ids) and masks the
 * trained tokens; {@code ChatTemplate.tokenCount(example)} lets callers reject examples longer than
 * {@code config.contextLength()} (the trainer refuses them too, naming the example).
 *
 * <h2>Supervised fine-tuning</h2>
 * <pre>{@code
 * Hyperparameters hp = Hyperparameters.resolve(nEpochsOrNull, batchSizeOrNull, lrMultiplierOrNull, train.size());
 * Trainer trainer = Trainer.create(GptModel.base("nano"), train, valid, hp, seed, threads);
 * // or: Trainer.resume(checkpointPath, train, valid, threads)
 * TrainingOutcome outcome = trainer.run(new TrainingListener() {
 *     public void onStep(TrainingMetrics m) { record(m.toMap()); }          // step, total_steps, train_loss, ...
 *     public void onEpochEnd(EpochCheckpoint cp) throws IOException { cp.saveModel(fileFor(cp.step())); }
 * }, control);                                                                // control.cancel() / control.pause()
 * if (outcome == TrainingOutcome.PAUSED) trainer.saveCheckpoint(resumeFile);
 * trainer.model().save(modelFile);
 * }</pre>
 * Same data, config, hyperparameters and seed give bit-identical metrics and weights for any thread count, and
 * resuming from a checkpoint continues exactly as an uninterrupted run.
 *
 * <p>For data of any size, {@link dev.finetune4j.train.TokenizedDataset#write} tokenizes examples as they stream
 * past into a file, and {@code Trainer.create(base, trainTokens, validTokens, hp, seed, threads)} (or
 * {@code resume(checkpoint, trainTokens, validTokens, threads)}) reads each batch from it: the trainer's memory
 * does not grow with the data. The results are those of the in-memory lists, bit for bit.
 *
 * <h2>Preference (DPO) and reinforcement fine-tuning</h2>
 * <pre>{@code
 * // pairs of answers to the same conversation: the preferred one is made likelier than the other
 * Trainer dpo = Trainer.createPreference(base, List.of(new PreferencePair(prompt, "Paris.", "Lyon.")), List.of(),
 *         hp, 0.1, seed, threads);
 * // prompts whose sampled answers a reward function scores (the server uses the job's grader)
 * Trainer rft = Trainer.createReinforcement(base, prompts, (i, answer) -> answer.equals(expected.get(i)) ? 1 : 0,
 *         List.of(), null, hp, ReinforcementOptions.DEFAULT, seed, threads);
 * }</pre>
 * Both run, checkpoint and resume as supervised training does (a resumed reinforcement trainer needs its
 * {@code rewards(...)} again). DPO's metrics are its loss per pair; reinforcement reports mean rewards, and holds
 * the model near its start with a KL penalty ({@link dev.finetune4j.train.ReinforcementOptions#klCoefficient()}).
 *
 * <h2>Inference</h2>
 * <pre>{@code
 * Completion c = new ChatModel(model).complete(messages,
 *         new SamplingOptions(temperature, topP, maxTokens, stopList, seedOrNull), piece -> stream(piece));
 * c.text(); c.finishReason(); c.promptTokens(); c.completionTokens();
 * }</pre>
 */
package dev.finetune4j.train;
