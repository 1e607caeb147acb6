/**
 * Wire records shared by the client and the local server: one source of truth for the JSON shapes of the
 * OpenAI fine-tuning API. Read and write them with {@link dev.finetune4j.api.Json#MAPPER}.
 */
package dev.finetune4j.api;
