package dev.finetune4j.client;

import java.io.IOException;
import okio.BufferedSource;

/**
 * Reads server-sent events: {@code field: value} lines, a blank line ends an event, lines starting with
 * {@code :} are comments, several {@code data:} lines are joined with {@code \n}.
 */
final class SseReader {
    /** One event; {@code data} is null when the event had no data line. */
    record Event(String event, String data, String id, Long retry) {}

    private final BufferedSource source;

    SseReader(BufferedSource source) {
        this.source = source;
    }

    /** The next event, or null at the end of the stream. */
    Event next() throws IOException {
        String event = null, id = null;
        Long retry = null;
        StringBuilder data = null;
        boolean any = false;
        String line;
        while ((line = source.readUtf8Line()) != null) {
            if (line.isEmpty()) {
                if (any) return new Event(event, data == null ? null : data.toString(), id, retry);
                continue;
            }
            if (line.startsWith(":")) continue;
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) value = value.substring(1);
            switch (field) {
                case "data" -> {
                    data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                    any = true;
                }
                case "event" -> {
                    event = value;
                    any = true;
                }
                case "id" -> {
                    if (!value.contains("\0")) id = value;
                    any = true;
                }
                case "retry" -> {
                    try {
                        retry = Long.parseLong(value);
                        any = true;
                    } catch (NumberFormatException ignored) {
                        // the SSE standard says to ignore a malformed retry field
                    }
                }
                default -> { }
            }
        }
        return any ? new Event(event, data == null ? null : data.toString(), id, retry) : null;
    }
}
