package dev.finetune4j.server;

import java.security.SecureRandom;

/** Random identifiers in the service's styles: {@code file-…}, {@code ftjob-…}, {@code ftevent-…}, API keys. */
final class Ids {
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {}

    static String random(int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        return sb.toString();
    }

    static String file() { return "file-" + random(22); }
    static String upload() { return "upload_" + random(24); }
    static String part() { return "part_" + random(24); }
    static String job() { return "ftjob-" + random(24); }
    static String event() { return "ftevent-" + random(24); }
    static String checkpoint() { return "ftckpt_" + random(24); }
    static String permission() { return "cp_" + random(24); }
    static String project() { return "proj_" + random(24); }
    static String organization() { return "org-" + random(24); }
    static String apiKey() { return "sk-proj-" + random(48); }
    static String adminKey() { return "sk-admin-" + random(48); }
    static String completion() { return "chatcmpl-" + random(29); }

    /** The {@code x-request-id} of a response, as OpenAI's: {@code req_} and 32 hex digits. */
    static String request() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return "req_" + java.util.HexFormat.of().formatHex(bytes);
    }
}
