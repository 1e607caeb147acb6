package dev.finetune4j.train;

/**
 * Scores a sampled answer in reinforcement fine-tuning, usually between 0 and 1, e.g.
 * {@code (index, answer) -> answer.equals(expected.get(index)) ? 1 : 0}. The server grades with the job's grader.
 * Called from worker threads, several at a time.
 */
@FunctionalInterface
public interface RewardFunction {
    /** The reward of {@code answer} to prompt {@code index} (counting from 0, in the order the prompts were given). */
    double reward(int index, String answer);
}
