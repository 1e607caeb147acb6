package dev.finetune4j.server;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Handler;

/**
 * A GET route that answers HEAD the same way, without the body. Javalin's own HEAD for a GET route answers 200
 * without running the handler, so a HEAD for a file that does not exist said it did.
 */
final class GetRoute {
    private GetRoute() {}

    static void add(RoutesConfig r, String path, Handler handler) {
        r.get(path, handler);
        r.head(path, handler);
    }
}
