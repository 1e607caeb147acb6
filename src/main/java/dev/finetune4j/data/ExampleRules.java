package dev.finetune4j.data;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The rules of each training-file format, applied to the facts of one line. The only place they are written. */
final class ExampleRules {

    /** Receives the problems of a line. {@code text} is the message without the "Line N: " prefix. */
    interface Sink {
        void report(String path, Category category, String text, String hint);
    }

    static final Set<String> ALL_ROLES = Set.of("system", "developer", "user", "assistant", "tool", "function");
    static final List<String> CHAT_ROLES = List.of("system", "user", "assistant", "tool");
    static final List<String> RFT_ROLES = List.of("developer", "user", "assistant", "tool");
    static final Map<String, List<String>> KEYS_BY_ROLE = Map.of(
            "system", List.of("role", "content", "name"),
            "developer", List.of("role", "content", "name"),
            "user", List.of("role", "content", "name"),
            "assistant", List.of("role", "content", "name", "weight", "tool_calls", "function_call", "refusal"),
            "tool", List.of("role", "content", "tool_call_id"),
            "function", List.of("role", "content", "name"));
    private static final List<String> DPO_OUTPUT_KEYS = List.of("role", "content", "name");
    static final Set<String> SFT_KEYS = Set.of("messages", "tools", "parallel_tool_calls", "functions");
    private static final Set<String> DPO_KEYS = Set.of("input", "preferred_output", "non_preferred_output");
    private static final Set<String> DPO_INPUT_KEYS = Set.of("messages", "tools", "parallel_tool_calls");

    private ExampleRules() {}

    /** Picks the format of a file from its first example object. */
    static Method detect(ExampleFacts f) {
        if (f.hasKey("input") || f.hasKey("preferred_output") || f.hasKey("non_preferred_output")) {
            return Method.DPO;
        }
        if (f.messages.present()) {
            // a conversation that ends with the answer is a supervised example, whatever else the line has
            if (f.messages.size() > 0 && "assistant".equals(f.messages.get(f.messages.size() - 1).role())) {
                return Method.SUPERVISED;
            }
            for (String key : f.keys) {
                if (!SFT_KEYS.contains(key)) {
                    return Method.REINFORCEMENT;
                }
            }
            for (int i = 0; i < f.messages.size(); i++) {
                if ("developer".equals(f.messages.get(i).role())) {
                    return Method.REINFORCEMENT;
                }
            }
        }
        return Method.SUPERVISED;
    }

    static void check(ExampleFacts f, Method format, Sink sink) {
        switch (format) {
            case DPO -> checkPreference(f, sink);
            case REINFORCEMENT -> checkReinforcement(f, sink);
            default -> checkSupervised(f, sink);
        }
    }

    private static final String LEGACY_HINT = "prompt/completion is the legacy completions format; write {\"messages\":"
            + " [{\"role\": \"user\", ...}, {\"role\": \"assistant\", ...}]} instead"
            + " (ChatConverter.columns().user(\"prompt\").assistant(\"completion\").writeJsonl(in, out) converts a file).";

    private static void checkSupervised(ExampleFacts f, Sink sink) {
        for (int k = 0; k < f.keys.size(); k++) {
            String key = f.keys.get(k);
            if (!supervisedKey(key)) {
                String hint = DPO_KEYS.contains(key)
                        ? "This line looks like a preference (DPO) example; a supervised file needs {\"messages\": [...]} on every line."
                        : key.equals("prompt") || key.equals("completion") ? LEGACY_HINT
                        : "A supervised example accepts only messages, tools, parallel_tool_calls and functions; a"
                                + " reinforcement file keeps extra keys for its grader: validate it as one"
                                + " (Method.REINFORCEMENT, --method reinforcement).";
                sink.report(key, Category.UNKNOWN_KEY, "unknown key '" + key + "' (a supervised example accepts messages, tools, parallel_tool_calls, functions)", hint);
            }
        }
        if (!checkMessageList(f, f.messages, Method.SUPERVISED, sink)) {
            return;
        }
        boolean assistant = false;
        boolean trained = false;
        ToolCalls calls = null;
        for (int i = 0; i < f.messages.size(); i++) {
            MessageFacts m = f.messages.get(i);
            calls = ToolCalls.of(calls, f.messages.get(i));
            checkMessage(f.messages, i, Method.SUPERVISED, calls, sink);
            if ("assistant".equals(m.role())) {
                assistant = true;
                trained |= !m.weightZero();
            }
        }
        if (!assistant) {
            sink.report("messages", Category.NO_ASSISTANT_MESSAGE, "messages has no assistant message",
                    "Add {\"role\": \"assistant\", \"content\": \"...\"} with the answer the model should learn"
                            + " (a reinforcement file has none: validate it as one, Method.REINFORCEMENT or"
                            + " --method reinforcement).");
        } else if (!trained) {
            sink.report("messages", Category.BAD_WEIGHT, "every assistant message has weight 0, so the example trains nothing",
                    "Set \"weight\": 1 (or leave weight out) on at least one assistant message.");
        }
        checkTools(f.toolsToken, "tools", f.parallelToken, "parallel_tool_calls", sink);
        checkToolDefinitions(f, sink);
        if (f.functionsToken != null && f.functionsToken != JsonToken.START_ARRAY) {
            sink.report("functions", Category.INVALID_TYPE, "functions must be an array of function definitions, got " + typeName(f.functionsToken),
                    "Write \"functions\": [{\"name\": ..., \"parameters\": {...}}] or leave it out.");
        }
    }

    /** What a chat (or preference) line is told in a prompt/completion file: it is the wrong format for the model. */
    private static final String CHAT_IN_LEGACY = "babbage-002 and davinci-002 train on prompt/completion lines, chat models on messages";

    /**
     * The legacy completions format of babbage-002 and davinci-002: exactly a {@code prompt} string (it may be empty)
     * and a {@code completion} string with some text, the part the model learns to write.
     */
    static void checkPromptCompletion(ExampleFacts f, Sink sink) {
        boolean otherFormat = false;
        for (int k = 0; k < f.keys.size(); k++) {
            String key = f.keys.get(k);
            if (key.equals("prompt") || key.equals("completion")) {
                continue;
            }
            String text = "unknown key '" + key + "' (a prompt/completion example accepts prompt, completion)";
            if (SFT_KEYS.contains(key) || DPO_KEYS.contains(key)) {
                otherFormat = true;
                sink.report(key, Category.UNKNOWN_KEY, text + ": " + CHAT_IN_LEGACY,
                        "Write {\"prompt\": \"...\", \"completion\": \"...\"} on every line, or fine-tune a chat model on this file.");
            } else {
                sink.report(key, Category.UNKNOWN_KEY, text, Category.UNKNOWN_KEY.defaultHint());
            }
        }
        if (otherFormat && f.prompt == null && f.completion == null) {
            return; // an example of another format: its keys said all there is to say
        }
        checkLegacyText("prompt", f.prompt, sink);
        if (checkLegacyText("completion", f.completion, sink)) {
            if (!f.completion.hasContent()) {
                sink.report("completion", Category.MISSING_CONTENT, "completion is empty", LEGACY_TEXT_HINT);
            } else if (f.completion.contentBlank()) {
                // a completion of blanks teaches the model to answer with nothing
                sink.report("completion", Category.MISSING_CONTENT, "completion has only spaces or line breaks",
                        "Write the text the model should learn to write after the prompt.");
            }
        }
    }

    private static final String LEGACY_TEXT_HINT = "Give every line a \"prompt\" string (it may be empty) and a \"completion\""
            + " string with the text the model should learn to write after it.";

    /** Checks that a prompt or completion is there and is a string; true when it is. */
    private static boolean checkLegacyText(String key, MessageFacts text, Sink sink) {
        if (text == null) {
            sink.report(key, Category.MISSING_CONTENT, key + " is missing", LEGACY_TEXT_HINT);
            return false;
        }
        if (text.contentToken() != JsonToken.VALUE_STRING) {
            sink.report(key, Category.INVALID_TYPE, key + " must be a string, got " + typeName(text.contentToken()),
                    "Write the text as a JSON string: \"" + key + "\": \"...\".");
            return false;
        }
        return true;
    }

    private static void checkReinforcement(ExampleFacts f, Sink sink) {
        if (!checkMessageList(f, f.messages, Method.REINFORCEMENT, sink)) {
            return;
        }
        ToolCalls calls = null;
        for (int i = 0; i < f.messages.size(); i++) {
            calls = ToolCalls.of(calls, f.messages.get(i));
            checkMessage(f.messages, i, Method.REINFORCEMENT, calls, sink);
        }
        checkTools(f.toolsToken, "tools", null, null, sink);
        checkToolDefinitions(f, sink);
    }

    private static void checkPreference(ExampleFacts f, Sink sink) {
        for (String key : f.keys) {
            if (!DPO_KEYS.contains(key)) {
                String hint = key.equals("messages")
                        ? "A preference example puts its prompt in \"input\": {\"messages\": [...]}, not in a top-level messages."
                        : "A preference example accepts only input, preferred_output and non_preferred_output.";
                sink.report(key, Category.UNKNOWN_KEY, "unknown key '" + key + "' (a preference example accepts input, preferred_output, non_preferred_output)", hint);
            }
        }
        if (f.inputToken == null) {
            sink.report("input", Category.MISSING_MESSAGES, "input is missing",
                    "Add \"input\": {\"messages\": [{\"role\": \"user\", \"content\": \"...\"}]}.");
        } else if (f.inputToken != JsonToken.START_OBJECT) {
            sink.report("input", Category.INVALID_TYPE, "input must be an object with messages, got " + typeName(f.inputToken),
                    "Write \"input\": {\"messages\": [...]}.");
        } else {
            for (String key : f.inputKeys) {
                if (!DPO_INPUT_KEYS.contains(key)) {
                    sink.report("input." + key, Category.UNKNOWN_KEY, "unknown key 'input." + key + "' (input accepts messages, tools, parallel_tool_calls)",
                            Category.UNKNOWN_KEY.defaultHint());
                }
            }
            if (checkMessageList(f, f.inputMessages, Method.DPO, sink)) {
                ToolCalls calls = null;
                boolean user = false;
                for (int i = 0; i < f.inputMessages.size(); i++) {
                    calls = ToolCalls.of(calls, f.inputMessages.get(i));
                    checkMessage(f.inputMessages, i, Method.DPO, calls, sink);
                    user |= "user".equals(f.inputMessages.get(i).role());
                }
                MessageFacts last = f.inputMessages.get(f.inputMessages.size() - 1);
                if ("assistant".equals(last.role())) {
                    sink.report(f.inputMessages.itemPath(f.inputMessages.size() - 1), Category.BAD_DPO_INPUT,
                            "input.messages ends with an assistant message; the preferred and non-preferred outputs are the answer to it",
                            "End input.messages with the user message the two outputs answer; move the assistant answer to the outputs.");
                } else if (!user) {
                    sink.report("input.messages", Category.BAD_DPO_INPUT, "input.messages has no user message",
                            Category.BAD_DPO_INPUT.defaultHint());
                }
            }
            checkTools(f.inputToolsToken, "input.tools", f.inputParallelToken, "input.parallel_tool_calls", sink);
        }
        if (checkOutput(f.preferred, sink) & checkOutput(f.nonPreferred, sink)
                && f.preferred.get(0).sameContent(f.nonPreferred.get(0))) {
            sink.report("non_preferred_output[0].content", Category.BAD_DPO_OUTPUT,
                    "preferred_output and non_preferred_output are the same answer, so the pair teaches nothing",
                    "Give non_preferred_output the worse answer, the one the model should move away from.");
        }
    }

    /** Checks a preference output; true when it is one assistant message. */
    private static boolean checkOutput(MessageList out, Sink sink) {
        String name = out.path;
        String hint = Category.BAD_DPO_OUTPUT.defaultHint();
        if (!out.present()) {
            sink.report(name, Category.BAD_DPO_OUTPUT, name + " is missing", hint);
            return false;
        }
        if (!out.isArray()) {
            sink.report(name, Category.BAD_DPO_OUTPUT, name + " must be an array holding one assistant message, got " + typeName(out.token()), hint);
            return false;
        }
        if (out.size() != 1) {
            sink.report(name, Category.BAD_DPO_OUTPUT, name + " has " + out.size() + " messages; it must hold exactly one assistant message", hint);
            return false;
        }
        MessageFacts m = out.get(0);
        String path = out.itemPath(0);
        if (!m.isObject()) {
            sink.report(path, Category.BAD_DPO_OUTPUT, path + " must be an assistant message object, got " + typeName(m.token()), hint);
            return false;
        }
        if (!"assistant".equals(m.role())) {
            String got = m.roleToken() == null ? "has no role" : m.role() == null ? "has a role that is not a string" : "has role '" + m.role() + "'";
            sink.report(path + ".role", Category.BAD_DPO_OUTPUT, path + " " + got + "; the output must be an assistant message", hint);
            return false;
        }
        for (String key : m.keys) {
            if (!DPO_OUTPUT_KEYS.contains(key)) {
                sink.report(path + "." + key, Category.UNKNOWN_KEY, path + " has unknown key '" + key + "' (a preference output accepts role, content, name)",
                        "Preference outputs are plain text answers: keep role and content.");
            }
        }
        checkContent(out, 0, m, sink);
        return true;
    }

    /** Checks presence and type of a message array; false when its items cannot be checked. */
    private static boolean checkMessageList(ExampleFacts f, MessageList list, Method format, Sink sink) {
        if (!list.present()) {
            // in a reinforcement example prompt and completion are grader fields like any other, not the legacy format
            String hint = format == Method.REINFORCEMENT
                    ? "Add \"messages\": [{\"role\": \"user\", \"content\": \"...\"}] with the prompt; the example's other fields are the grader's item."
                    : f.hasKey("prompt") || f.hasKey("completion") ? LEGACY_HINT : Category.MISSING_MESSAGES.defaultHint();
            sink.report(list.path, Category.MISSING_MESSAGES, list.path + " is missing", hint);
            return false;
        }
        if (!list.isArray()) {
            sink.report(list.path, Category.INVALID_TYPE, list.path + " must be an array of messages, got " + typeName(list.token()),
                    "Write \"" + list.path + "\": [{\"role\": \"user\", \"content\": \"...\"}, ...].");
            return false;
        }
        if (list.size() == 0) {
            sink.report(list.path, Category.MISSING_MESSAGES, list.path + " is empty", Category.MISSING_MESSAGES.defaultHint());
            return false;
        }
        return true;
    }

    /** @param calls the example's tool calls so far; null when no message before or this one takes part in tool calling */
    private static void checkMessage(MessageList list, int index, Method format, ToolCalls calls, Sink sink) {
        MessageFacts m = list.get(index);
        if (!m.isObject()) {
            sink.report(list.itemPath(index), Category.INVALID_TYPE, list.itemPath(index) + " must be a message object, got " + typeName(m.token()),
                    "Write each message as {\"role\": \"...\", \"content\": \"...\"}.");
            return;
        }
        int role = m.roleToken() == JsonToken.VALUE_STRING && m.role() != null ? roleIndex(m.role()) : NO_ROLE;
        if (role == NO_ROLE || !roleAllowed(role, format)) {
            checkRole(list, index, m, format, sink);
        }
        if (role != NO_ROLE) {
            for (int k = 0; k < m.keys.size(); k++) {
                String key = m.keys.get(k);
                if (!keyAllowed(role, key)) {
                    List<String> keys = KEYS_BY_ROLE.get(m.role());
                    sink.report(list.itemPath(index) + "." + key, Category.UNKNOWN_KEY, list.itemPath(index) + " has unknown key '" + key + "' (a " + m.role() + " message accepts " + String.join(", ", keys) + ")",
                            Category.UNKNOWN_KEY.defaultHint());
                }
            }
        }
        checkContent(list, index, m, sink);
        if (m.weightToken() != null) {
            if (!"assistant".equals(m.role())) {
                sink.report(list.itemPath(index) + ".weight", Category.BAD_WEIGHT, list.itemPath(index) + ".weight is set on a " + (m.role() == null ? "message without a role" : m.role() + " message") + "; only assistant messages take a weight",
                        "Remove weight from this message.");
            } else if (m.weightToken() != JsonToken.VALUE_NUMBER_INT || !("0".equals(m.weightText) || "1".equals(m.weightText))) {
                String got = m.weightText != null && m.weightToken() != JsonToken.VALUE_STRING ? m.weightText : typeName(m.weightToken());
                if (m.weightToken() == JsonToken.VALUE_STRING) {
                    got = "the string \"" + m.weightText + "\"";
                }
                sink.report(list.itemPath(index) + ".weight", Category.BAD_WEIGHT, list.itemPath(index) + ".weight must be 0 or 1, got " + got,
                        "Use the number 0 (do not train on this message) or 1 (train on it).");
            }
        }
        if (m.toolCallsToken != null && m.toolCallsToken != JsonToken.START_ARRAY && m.toolCallsToken != JsonToken.VALUE_NULL) {
            sink.report(list.itemPath(index) + ".tool_calls", Category.INVALID_TYPE, list.itemPath(index) + ".tool_calls must be an array, got " + typeName(m.toolCallsToken),
                    "Write \"tool_calls\": [{\"id\": \"...\", \"type\": \"function\", \"function\": {\"name\": \"...\", \"arguments\": \"{...}\"}}].");
        } else if (m.toolCallsToken == JsonToken.START_ARRAY) {
            calls.check(list.itemPath(index) + ".tool_calls", m, sink);
        }
        if (m.toolCallId == null && "tool".equals(m.role())) {
            // a non-string id is kept out of toolCallId; only a tool message's keys are looked through, tool messages are rare
            boolean present = m.keys.contains("tool_call_id");
            sink.report(list.itemPath(index) + ".tool_call_id", present ? Category.INVALID_TYPE : Category.BAD_TOOL_CALL,
                    list.itemPath(index) + (present ? ".tool_call_id must be a string" : " has no tool_call_id (tool message)"),
                    "Give the tool message \"tool_call_id\": the id of the assistant tool call it answers.");
        } else if (m.toolCallId != null && "tool".equals(m.role()) && !calls.ids.contains(m.toolCallId)) {
            sink.report(list.itemPath(index) + ".tool_call_id", Category.BAD_TOOL_CALL, list.itemPath(index) + ".tool_call_id '"
                    + m.toolCallId + "' matches no earlier tool call", "Give the tool message the id of the assistant tool call it answers.");
        }
        if (m.nameToken != null && m.nameToken != JsonToken.VALUE_STRING && m.nameToken != JsonToken.VALUE_NULL) {
            sink.report(list.itemPath(index) + ".name", Category.INVALID_TYPE, list.itemPath(index) + ".name must be a string, got " + typeName(m.nameToken),
                    "Write the name as a JSON string, or leave it out.");
        }
    }

    /**
     * The tool calls of one example's messages, in order: their ids, for the tool messages that answer them. Their
     * JSON is parsed here, only for the lines that have any (the scanners keep its bytes).
     */
    private static final class ToolCalls {
        final java.util.Set<String> ids = new java.util.HashSet<>();

        /** {@code calls}, made when the first message that takes part in tool calling shows up: most lines have none. */
        static ToolCalls of(ToolCalls calls, MessageFacts m) {
            return calls == null && (m.toolCallsToken == JsonToken.START_ARRAY || m.toolCallId != null) ? new ToolCalls() : calls;
        }

        void check(String path, MessageFacts m, Sink sink) {
            JsonNode calls = parse(m.toolCallsBytes, m.toolCallsFrom, m.toolCallsTo);
            for (int i = 0; calls != null && i < calls.size(); i++) {
                JsonNode call = calls.get(i);
                String at = path + "[" + i + "]";
                if (!call.isObject()) {
                    sink.report(at, Category.INVALID_TYPE, at + " must be an object, got " + nodeType(call), TOOL_CALL_HINT);
                    continue;
                }
                if (call.path("id").isTextual()) {
                    ids.add(call.get("id").asText());
                }
                JsonNode function = call.get("function");
                if (function == null || !function.isObject()) {
                    sink.report(at + ".function", Category.BAD_TOOL_CALL, at + " has no function object", TOOL_CALL_HINT);
                    continue;
                }
                JsonNode name = function.get("name");
                if (name == null || !name.isTextual() || name.asText().isBlank()) {
                    sink.report(at + ".function.name", Category.BAD_TOOL_CALL, at + ".function has no name"
                            + (name != null && !name.isTextual() ? " string (got " + nodeType(name) + ")" : ""), "Name the function the call invokes.");
                }
                JsonNode arguments = function.get("arguments");
                if (arguments == null || !arguments.isTextual()) {
                    sink.report(at + ".function.arguments", Category.BAD_TOOL_CALL, at + ".function.arguments must be a string holding JSON, got "
                            + (arguments == null ? "nothing" : nodeType(arguments)), "Write the arguments as a JSON string: \"arguments\": \"{\\\"city\\\": \\\"Paris\\\"}\".");
                } else if (parse(arguments.asText()) == null) {
                    sink.report(at + ".function.arguments", Category.BAD_TOOL_CALL, at + ".function.arguments is not valid JSON",
                            "Write the arguments as a JSON object in a string, e.g. \"{\\\"city\\\": \\\"Paris\\\"}\".");
                }
            }
        }
    }

    private static final String TOOL_CALL_HINT =
            "Write each tool call as {\"id\": \"...\", \"type\": \"function\", \"function\": {\"name\": \"...\", \"arguments\": \"{...}\"}}.";

    /** Every {@code tools[].function} needs a name. */
    private static void checkToolDefinitions(ExampleFacts f, Sink sink) {
        if (f.toolsToken != JsonToken.START_ARRAY) {
            return;
        }
        JsonNode tools = parse(f.toolsBytes, f.toolsFrom, f.toolsTo);
        for (int i = 0; tools != null && i < tools.size(); i++) {
            JsonNode function = tools.get(i).get("function");
            if (function != null && function.isObject() && !function.path("name").isTextual()) {
                sink.report("tools[" + i + "].function.name", Category.BAD_TOOL_CALL, "tools[" + i + "].function has no name",
                        "Give each tool's function a \"name\", the one its tool calls use.");
            }
        }
    }

    /** Parses JSON that was already scanned; null when it is not valid (only tool-call arguments may not be). */
    private static JsonNode parse(byte[] b, int from, int to) {
        try {
            return Json.MAPPER.readTree(b, from, to - from);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private static JsonNode parse(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    /** Jackson's object mapper, loaded with the first line that has tool calls. */
    private static final class Json {
        static final com.fasterxml.jackson.databind.ObjectMapper MAPPER = new com.fasterxml.jackson.databind.ObjectMapper();
    }

    private static String nodeType(JsonNode n) {
        return n.isObject() ? "an object" : n.isArray() ? "an array" : n.isTextual() ? "a string" : n.isNumber() ? "a number"
                : n.isBoolean() ? "a boolean" : "null";
    }

    /** The role problems of a message whose role is missing, not a string, unknown or not allowed by the method. */
    private static void checkRole(MessageList list, int index, MessageFacts m, Method format, Sink sink) {
        List<String> allowed = format == Method.REINFORCEMENT ? RFT_ROLES : CHAT_ROLES;
        String methodName = format == Method.REINFORCEMENT ? "reinforcement" : format == Method.DPO ? "preference (DPO)" : "supervised";
        if (m.roleToken() == null) {
            sink.report(list.itemPath(index) + ".role", Category.MISSING_ROLE, list.itemPath(index) + " has no role", "Add \"role\": one of " + String.join(", ", allowed) + ".");
        } else if (m.roleToken() != JsonToken.VALUE_STRING) {
            sink.report(list.itemPath(index) + ".role", Category.INVALID_TYPE, list.itemPath(index) + ".role must be a string, got " + typeName(m.roleToken()),
                    "Use one of " + String.join(", ", allowed) + ".");
        } else if (!ALL_ROLES.contains(m.role())) {
            sink.report(list.itemPath(index) + ".role", Category.UNKNOWN_ROLE, list.itemPath(index) + ".role '" + m.role() + "' is not one of " + String.join(", ", allowed),
                    "Use one of " + String.join(", ", allowed) + ".");
        } else if (!allowed.contains(m.role()) && !(m.role().equals("function") && format != Method.REINFORCEMENT)) {
            String instead = m.role().equals("developer") ? "system" : m.role().equals("system") ? "developer" : "one of " + String.join(", ", allowed);
            sink.report(list.itemPath(index) + ".role", Category.ROLE_NOT_ALLOWED, list.itemPath(index) + ".role '" + m.role() + "' is not allowed in " + methodName + " files (allowed: " + String.join(", ", allowed) + ")",
                    "Use " + instead + " instead.");
        }
    }

    // Roles and keys as small ints and switches: the rules run for every message, and lookups in sets and maps of
    // strings made them the slowest part of a cold run (interpreted, then compiled late). ALL_ROLES, CHAT_ROLES,
    // RFT_ROLES and KEYS_BY_ROLE say the same for the messages; ExampleRulesTest checks that they agree.
    private static final int NO_ROLE = -1;
    private static final int SYSTEM = 0;
    private static final int DEVELOPER = 1;
    private static final int USER = 2;
    private static final int ASSISTANT = 3;
    private static final int TOOL = 4;
    private static final int FUNCTION = 5;

    /** The index of a role of {@link #ALL_ROLES}, or {@link #NO_ROLE}. */
    static int roleIndex(String role) {
        return switch (role) {
            case "system" -> SYSTEM;
            case "developer" -> DEVELOPER;
            case "user" -> USER;
            case "assistant" -> ASSISTANT;
            case "tool" -> TOOL;
            case "function" -> FUNCTION;
            default -> NO_ROLE;
        };
    }

    /** Whether a method's files may use a role: developer only in reinforcement files, system and function elsewhere. */
    static boolean roleAllowed(int role, Method format) {
        return switch (role) {
            case USER, ASSISTANT, TOOL -> true;
            case DEVELOPER -> format == Method.REINFORCEMENT;
            case SYSTEM, FUNCTION -> format != Method.REINFORCEMENT;
            default -> false;
        };
    }

    /** Whether a message of the role accepts the key ({@link #KEYS_BY_ROLE}; weight is judged by its own rule). */
    static boolean keyAllowed(int role, String key) {
        return switch (key) {
            case "role", "content", "weight" -> true;
            case "name" -> role != TOOL;
            case "tool_call_id" -> role == TOOL;
            case "tool_calls", "function_call", "refusal" -> role == ASSISTANT;
            default -> false;
        };
    }

    /** Whether a supervised example accepts a top-level key ({@link #SFT_KEYS}). */
    static boolean supervisedKey(String key) {
        return switch (key) {
            case "messages", "tools", "parallel_tool_calls", "functions" -> true;
            default -> false;
        };
    }

    /** Content rules; the path is built only when there is something to report. */
    private static void checkContent(MessageList list, int index, MessageFacts m, Sink sink) {
        JsonToken ct = m.contentToken();
        if (ct != null && ct != JsonToken.VALUE_STRING && ct != JsonToken.VALUE_NULL && ct != JsonToken.START_ARRAY) {
            sink.report(list.itemPath(index) + ".content", Category.INVALID_TYPE, list.itemPath(index) + ".content must be a string or an array of content parts, got " + typeName(ct),
                    "Write the text as a JSON string: \"content\": \"...\".");
            return;
        }
        if (m.partProblem != null) {
            sink.report(list.itemPath(index) + "." + m.partPath, Category.INVALID_TYPE, list.itemPath(index) + "." + m.partPath + " " + m.partProblem,
                    "Use {\"type\": \"text\", \"text\": \"...\"} or {\"type\": \"image_url\", \"image_url\": {\"url\": \"...\"}}.");
            return;
        }
        if (m.imagePart >= 0 && m.role() != null && !"user".equals(m.role()) && ALL_ROLES.contains(m.role())) {
            String at = list.itemPath(index) + ".content[" + m.imagePart + "]";
            sink.report(at, Category.INVALID_TYPE, at + " is an image part in a" + ("assistant".equals(m.role()) ? "n " : " ") + m.role()
                    + " message; only user messages may hold images", "Move the image to a user message; other messages take text parts only.");
            return;
        }
        if (m.emptyTextPart >= 0) {
            String at = list.itemPath(index) + ".content[" + m.emptyTextPart + "].text";
            String who = m.role() == null ? "" : " (" + m.role() + " message)";
            sink.report(at, Category.MISSING_CONTENT, at + " is empty" + who, "Write the part's text, or remove the part.");
            return;
        }
        if (!m.hasContent()) {
            if ("assistant".equals(m.role()) && (m.hasToolCalls() || m.hasFunctionCall)) {
                return;
            }
            String what = ct == null ? "is missing" : ct == JsonToken.VALUE_NULL ? "is null" : "is empty";
            String who = m.role() == null ? "" : " (" + m.role() + " message)";
            String hint = "assistant".equals(m.role()) && m.toolCallsEmpty()
                    ? "An empty tool_calls array calls no tool: give the message a non-empty \"content\", or at least one tool call."
                    : Category.MISSING_CONTENT.defaultHint();
            sink.report(list.itemPath(index) + ".content", Category.MISSING_CONTENT, list.itemPath(index) + ".content " + what + who, hint);
        } else if ("assistant".equals(m.role()) && !m.weightZero() && !m.hasToolCalls() && !m.hasFunctionCall && m.contentBlank()) {
            // a trained answer of blanks teaches the model to answer with nothing
            sink.report(list.itemPath(index) + ".content", Category.MISSING_CONTENT, list.itemPath(index) + ".content has only spaces or line breaks (assistant message)",
                    "Write the answer the model should learn, or give the message \"weight\": 0.");
        }
    }

    private static void checkTools(JsonToken tools, String toolsPath, JsonToken parallel, String parallelPath, Sink sink) {
        if (tools != null && tools != JsonToken.START_ARRAY) {
            sink.report(toolsPath, Category.INVALID_TYPE, toolsPath + " must be an array of tools, got " + typeName(tools),
                    "Write \"tools\": [{\"type\": \"function\", \"function\": {...}}] or leave it out.");
        }
        if (parallel != null && parallel != JsonToken.VALUE_TRUE && parallel != JsonToken.VALUE_FALSE) {
            sink.report(parallelPath, Category.INVALID_TYPE, parallelPath + " must be true or false, got " + typeName(parallel),
                    "Write \"parallel_tool_calls\": false (or true) without quotes.");
        }
    }

    static String typeName(JsonToken t) {
        if (t == null) {
            return "nothing";
        }
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.toString();
        };
    }
}
