package dev.finetune4j.server;

import io.javalin.http.Context;
import io.javalin.http.UploadedFile;

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

    static UploadedFile file(Context ctx, String name, long maxBytes) {
        try {
            return ctx.uploadedFile(name);
        } catch (RuntimeException e) {
            if (isTooLarge(e)) throw tooLarge(maxBytes);
            throw ApiException.badRequest("Could not read the multipart body: " + e.getMessage(), name,
                    "invalid_multipart");
        }
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
