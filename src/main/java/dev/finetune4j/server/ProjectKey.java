package dev.finetune4j.server;

/**
 * A project and one of its API keys, e.g. {@code server.createProject("team-b").apiKey()}. The key is shown
 * once: the server keeps only its hash.
 */
public record ProjectKey(String projectId, String name, String apiKey) {}
