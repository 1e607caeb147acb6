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
import okhttp3.Call;
import okhttp3.Response;

/**
 * A streamed chat completion: an iterable of {@link ChatCompletionChunk}s read lazily from the SSE body, ending at
 * {@code data: [DONE]}. An {@code error} payload in the stream raises {@link ApiException}. Close it (or read it to
 * the end) to free the connection:
 * {@code try (var s = client.chat().completions().createStreaming(p)) { for (var c : s) System.out.print(...); }}.
 */
public final class ChatCompletionStream implements Iterable<ChatCompletionChunk>, Closeable {
    private final Response response;
    private final Call call;
    private final SseReader reader;
    private ChatCompletionChunk next;
    private volatile boolean done;
    private volatile boolean closedByCaller;
    private volatile boolean reading;
    private boolean iterated;

    ChatCompletionStream(Response response, Call call) {
        this.response = response;
        this.call = call;
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

    /**
     * Stops the stream and frees the connection. Safe from any thread ("stop generating"): a thread iterating the
     * stream sees it end, without an exception.
     */
    @Override
    public void close() {
        closedByCaller = true;
        if (call != null) call.cancel();
        finish();
    }

    /** Ends the stream; a body is not closed under a thread reading it (OkHttp forbids it): that thread does. */
    private void finish() {
        done = true;
        if (!reading) response.close();
    }

    private ChatCompletionChunk read() {
        reading = true;
        try {
            return readEvent();
        } catch (RuntimeException e) {
            if (closedByCaller) return null; // closed by another thread while this one waited for the next event
            throw e;
        } finally {
            reading = false;
            if (done) response.close();
        }
    }

    private ChatCompletionChunk readEvent() {
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
            finish();
            return null;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            finish();
            throw new ApiException("A stream event is not valid JSON: " + e.getOriginalMessage(), null, null, null,
                    null, null, e);
        } catch (IOException e) {
            if (closedByCaller) return null;
            finish();
            throw e instanceof java.io.InterruptedIOException
                    ? new ApiTimeoutException("Timed out reading the stream: " + e.getMessage(), e)
                    : new ApiConnectionException("The stream broke off: " + e, e);
        } catch (RuntimeException e) {
            finish();
            throw e;
        }
    }

    private ApiException streamError(JsonNode node, String data) {
        JsonNode error = node == null ? null : node.has("error") ? node.get("error") : node;
        String message = text(error, "message");
        if (message == null && error != null && error.isTextual()) message = error.asText();
        String id = requestId();
        return new ApiException("An error occurred during streaming" + (id != null ? " (request " + id + ")" : "") + ": "
                + (message != null ? message : data),
                message, text(error, "type"), text(error, "param"), text(error, "code"), data, null);
    }

    private static String text(JsonNode node, String field) {
        if (node == null || !node.isObject()) return null;
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
