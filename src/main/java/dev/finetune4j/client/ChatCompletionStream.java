package dev.finetune4j.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.finetune4j.api.ChatCompletionChunk;
import dev.finetune4j.api.Json;
import java.io.Closeable;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import okhttp3.Response;

/**
 * A streamed chat completion: an iterable of {@link ChatCompletionChunk}s read lazily from the SSE body, ending at
 * {@code data: [DONE]}. An {@code error} payload in the stream raises {@link ApiException}. Close it (or read it to
 * the end) to free the connection:
 * {@code try (var s = client.chat().completions().createStreaming(p)) { for (var c : s) System.out.print(...); }}.
 */
public final class ChatCompletionStream implements Iterable<ChatCompletionChunk>, Closeable {
    private final Response response;
    private final SseReader reader;
    private ChatCompletionChunk next;
    private boolean done;
    private boolean iterated;

    ChatCompletionStream(Response response) {
        this.response = response;
        this.reader = new SseReader(response.body().source());
    }

    /** The {@code x-request-id} of the response. */
    public String requestId() {
        return response.header("x-request-id");
    }

    /** The response headers, names in lower case. */
    public Map<String, List<String>> headers() {
        return response.headers().toMultimap();
    }

    /** The chunks; a stream can be iterated once. */
    @Override
    public Iterator<ChatCompletionChunk> iterator() {
        if (iterated) throw new IllegalStateException("a chat completion stream can be iterated only once");
        iterated = true;
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                if (next == null && !done) next = read();
                return next != null;
            }

            @Override
            public ChatCompletionChunk next() {
                if (!hasNext()) throw new NoSuchElementException();
                ChatCompletionChunk chunk = next;
                next = null;
                return chunk;
            }
        };
    }

    /** The chunks as a lazy stream; closing the stream closes the connection. */
    public Stream<ChatCompletionChunk> stream() {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(iterator(), Spliterator.ORDERED), false)
                .onClose(this::close);
    }

    /** Reads the rest of the stream and joins the text of the first choice. */
    public String text() {
        StringBuilder sb = new StringBuilder();
        for (ChatCompletionChunk chunk : this) {
            for (ChatCompletionChunk.Choice choice : chunk.choices()) {
                if (choice.index() == 0 && choice.delta() != null && choice.delta().content() != null) {
                    sb.append(choice.delta().content());
                }
            }
        }
        return sb.toString();
    }

    @Override
    public void close() {
        done = true;
        response.close();
    }

    private ChatCompletionChunk read() {
        try {
            SseReader.Event event;
            while ((event = reader.next()) != null) {
                String data = event.data();
                if (data == null) continue;
                if (data.startsWith("[DONE]")) break;
                JsonNode node = Json.MAPPER.readTree(data);
                if (node != null && node.isObject() && node.has("error") && !node.get("error").isNull()) {
                    throw streamError(node, data);
                }
                if ("error".equals(event.event())) throw streamError(node, data);
                return Json.MAPPER.treeToValue(node, ChatCompletionChunk.class);
            }
            close();
            return null;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            close();
            throw new ApiException("A stream event is not valid JSON: " + e.getOriginalMessage(), null, null, null,
                    null, null, e);
        } catch (IOException e) {
            close();
            throw e instanceof java.io.InterruptedIOException
                    ? new ApiTimeoutException("Timed out reading the stream: " + e.getMessage(), e)
                    : new ApiConnectionException("The stream broke off: " + e, e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private ApiException streamError(JsonNode node, String data) {
        JsonNode error = node == null ? null : node.has("error") ? node.get("error") : node;
        String message = text(error, "message");
        if (message == null && error != null && error.isTextual()) message = error.asText();
        return new ApiException("An error occurred during streaming: " + (message != null ? message : data),
                message, text(error, "type"), text(error, "param"), text(error, "code"), data, null);
    }

    private static String text(JsonNode node, String field) {
        if (node == null || !node.isObject()) return null;
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
