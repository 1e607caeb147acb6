package dev.finetune4j.server;

/** Who sent a request: the project whose objects it sees, and whether its key is the admin key. */
record Caller(String projectId, boolean admin) {}
