package dev.finetune4j.data;

/** Whether a problem makes a file unusable ({@code ERROR}) or only deserves attention ({@code WARNING}). */
public enum Severity {
    ERROR,
    WARNING
}
