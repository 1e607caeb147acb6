package dev.finetune4j.data;

/**
 * The kinds of problem the validator reports. {@link #code()} is a stable snake_case identifier (it appears in
 * reports, tables and server errors); the default severity can be changed per validator.
 */
public enum Category {
    BAD_ENCODING("bad_encoding", Severity.ERROR, "Save the file as UTF-8 text, one JSON object per line (LF or CRLF line ends)."),
    INVALID_JSON("invalid_json", Severity.ERROR, "Write one complete JSON object per line (no trailing commas, quoted keys, no line breaks inside an example)."),
    DUPLICATE_KEY("duplicate_key", Severity.ERROR, "Keep one of the two: JSON readers disagree on which one counts (Python's json keeps the last)."),
    LINE_TOO_LONG("line_too_long", Severity.ERROR, "Write one example per line: a line this long is no single training example (check the line ends, or an embedded file)."),
    WRONG_TOP_LEVEL_TYPE("wrong_top_level_type", Severity.ERROR, "Each line must be a JSON object such as {\"messages\": [...]}."),
    MISSING_MESSAGES("missing_messages", Severity.ERROR, "Add a non-empty \"messages\" array (for preference files: \"input\": {\"messages\": [...]})."),
    INVALID_TYPE("invalid_type", Severity.ERROR, "Give the field the JSON type the format expects."),
    UNKNOWN_KEY("unknown_key", Severity.ERROR, "Remove the key or fix its spelling."),
    MISSING_ROLE("missing_role", Severity.ERROR, "Add \"role\" to every message."),
    UNKNOWN_ROLE("unknown_role", Severity.ERROR, "Use one of the roles the method accepts."),
    ROLE_NOT_ALLOWED("role_not_allowed", Severity.ERROR, "Use a role the method accepts."),
    MISSING_CONTENT("missing_content", Severity.ERROR, "Give the message a non-empty \"content\" string (assistant messages may carry \"tool_calls\" instead)."),
    NO_ASSISTANT_MESSAGE("no_assistant_message", Severity.ERROR, "Add an assistant message: it is what the model learns to write."),
    BAD_WEIGHT("bad_weight", Severity.ERROR, "Use \"weight\": 0 or 1, and only on assistant messages."),
    BAD_DPO_INPUT("bad_dpo_input", Severity.ERROR, "Give input.messages the conversation up to the user message the two outputs answer."),
    BAD_TOOL_CALL("bad_tool_call", Severity.ERROR, "Give each tool call an id, a function name and its arguments as a JSON string; answer it with a tool message of that id."),
    BAD_DPO_OUTPUT("bad_dpo_output", Severity.ERROR, "Give preferred_output and non_preferred_output exactly one assistant message each, e.g. [{\"role\": \"assistant\", \"content\": \"...\"}]."),
    EMPTY_FILE("empty_file", Severity.ERROR, "Write at least one example per line into the file."),
    TOO_FEW_EXAMPLES("too_few_examples", Severity.ERROR, "Add examples: a training file needs at least 10."),
    DUPLICATE_EXAMPLE("duplicate_example", Severity.WARNING, "Remove the repeated line; duplicates weigh the same example several times."),
    TOO_MANY_TOKENS("too_many_tokens", Severity.WARNING, "Shorten the example or split it; the excess is cut from the end during training."),
    BLANK_LINE("blank_line", Severity.WARNING, "Remove the empty line.");

    private final String code;
    private final Severity defaultSeverity;
    private final String defaultHint;

    Category(String code, Severity defaultSeverity, String defaultHint) {
        this.code = code;
        this.defaultSeverity = defaultSeverity;
        this.defaultHint = defaultHint;
    }

    /** Stable snake_case identifier, e.g. {@code "unknown_role"}. */
    public String code() {
        return code;
    }

    /** Severity unless the validator was told otherwise. */
    public Severity defaultSeverity() {
        return defaultSeverity;
    }

    /** Fix hint used when a problem has no more specific one. */
    public String defaultHint() {
        return defaultHint;
    }

    /** Looks a category up by its code, e.g. {@code Category.fromCode("bad_weight")}. */
    public static Category fromCode(String code) {
        for (Category c : values()) {
            if (c.code.equals(code)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown category code '" + code + "'");
    }
}
