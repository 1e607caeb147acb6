package dev.finetune4j.server;

import dev.finetune4j.api.ErrorResponse;
import dev.finetune4j.api.Json;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The errors Jetty answers itself, before a route runs (a bad URI or header, headers too large), as OpenAI-style
 * JSON bodies instead of Jetty's HTML page: clients parse every error the same way.
 */
final class JsonErrorHandler extends ErrorHandler {
    @Override
    public boolean errorPageForMethod(String method) {
        return true; // Jetty writes a body for GET, POST and HEAD only; clients of this API send DELETE too
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        var headers = response.getHeaders();
        if (!headers.contains(LocalServer.REQUEST_ID_HEADER)) headers.put(LocalServer.REQUEST_ID_HEADER, Ids.request());
        headers.put(HttpHeader.CONTENT_TYPE, "application/json");
        String text;
        if (code == 503) {
            // the only 503 Jetty writes here: a stop under way, which lets the requests in progress finish first
            text = "The server is stopping; send the request again once it is back.";
        } else if (code >= 500) {
            text = "The server had an error while processing your request: " + message;
        } else if (message == null || message.isBlank() || message.equalsIgnoreCase("Bad Request")) {
            // Jetty says no more than "Bad Request" for a URI it cannot decode, such as one holding %00
            text = "The server could not read the request (HTTP " + code + "): its URL or headers are malformed,"
                    + " e.g. an encoded control character such as %00 in the path.";
        } else {
            text = "The server could not read the request (HTTP " + code + "): " + message + ".";
        }
        String type = code >= 500 ? "server_error" : ApiException.INVALID_REQUEST;
        String errorCode = code == 503 ? "server_stopping" : null;
        byte[] body = Json.write(ErrorResponse.of(text, type, null, errorCode)).getBytes(StandardCharsets.UTF_8);
        response.write(true, ByteBuffer.wrap(body), callback);
    }
}
