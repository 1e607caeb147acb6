package dev.finetune4j.server;

import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.util.Set;
import java.util.TreeSet;

/** Multipart request helpers: size limits surface as OpenAI-style 413 errors, not as server errors. */
final class Multipart {
    private Multipart() {}

    static void require(Context ctx) {
        String type = ctx.contentType();
        if (type == null || !type.toLowerCase().startsWith("multipart/form-data")) {
            throw ApiException.badRequest("Expected a multipart/form-data request body, got "
                    + (type == null ? "no content type" : "'" + type + "'") + ".", null, "invalid_content_type");
        }
    }

    /** Refuses form fields and files the endpoint does not take, as JSON bodies refuse unknown arguments. */
    static void onlyFields(Context ctx, Set<String> allowed) {
        Set<String> names = new TreeSet<>();
        try {
            names.addAll(ctx.formParamMap().keySet());
            names.addAll(ctx.uploadedFileMap().keySet());
        } catch (Exception e) { // Jetty's ServletException comes through unchecked
            return; // an unreadable body is reported by file(), which knows the size limit
        }
        for (String name : names) {
            if (!allowed.contains(name)) {
                throw ApiException.badRequest("Unrecognized request argument supplied: " + name + " (this endpoint takes "
                        + String.join(", ", new TreeSet<>(allowed)) + ")", name, "unknown_parameter");
            }
        }
    }

    static UploadedFile file(Context ctx, String name, long maxBytes) {
        try {
            return ctx.uploadedFile(name);
        } catch (Exception e) { // Jetty's ServletException for a malformed body comes through unchecked
            // the rest of the body cannot be read past the fault, so the connection cannot serve another request:
            // say so, or a client reuses it and its next request finds it closed
            ctx.header("Connection", "close");
            ApiException slow = SlowBodyGuard.asApiError(e);
            if (slow != null) throw slow;
            if (isTooLarge(e)) throw tooLarge(maxBytes);
            throw ApiException.badRequest("Could not read the multipart body: " + rootMessage(e), name,
                    "invalid_multipart");
        }
    }

    /** The innermost message, without the servlet and Jetty class names around it. */
    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return m.replaceFirst("^\\d{3}: ", "");
    }

    private static boolean isTooLarge(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage()).toLowerCase();
            if (m.contains("exceed") || m.contains("too large") || m.contains("max")) return true;
        }
        return false;
    }

    static ApiException tooLarge(long maxBytes) {
        return new ApiException(413, "File is too large: the maximum size is " + maxBytes + " bytes.",
                ApiException.INVALID_REQUEST, "file", "file_too_large");
    }
}
