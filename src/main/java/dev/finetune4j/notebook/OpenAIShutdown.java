package dev.finetune4j.notebook;

import dev.finetune4j.client.OpenAI;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;

/**
 * OpenAI stops taking new fine-tuning jobs on 2027-01-06. A facade on {@code api.openai.com} says so when it is made,
 * and again when OpenAI refuses a job on or after that day, with where to train instead.
 */
final class OpenAIShutdown {
    static final LocalDate LAST_DAY_BEFORE = LocalDate.of(2027, 1, 5);
    private static final String ELSEWHERE = "FineTune.local() trains on this machine; Azure OpenAI and other"
            + " compatible services take the same calls (FineTune.of, FineTune.connect).";

    private OpenAIShutdown() {}

    /** The note for a facade on {@code baseUrl} on {@code today}, or null when it does not talk to OpenAI. */
    static String notice(String baseUrl, LocalDate today) {
        if (!OpenAI.isOpenAI(baseUrl)) return null;
        long days = ChronoUnit.DAYS.between(today, LAST_DAY_BEFORE.plusDays(1));
        if (days > 0) {
            return "note: OpenAI stops taking new fine-tuning jobs on 2027-01-06 (in " + days + (days == 1 ? " day" : " days")
                    + "). " + ELSEWHERE;
        }
        return "note: OpenAI no longer takes new fine-tuning jobs (since 2027-01-06). " + ELSEWHERE;
    }

    /** Whether a job created on {@code baseUrl} on {@code today} is one OpenAI no longer takes. */
    static boolean closed(String baseUrl, LocalDate today) {
        return OpenAI.isOpenAI(baseUrl) && today.isAfter(LAST_DAY_BEFORE);
    }

}
