package dev.finetune4j.client;

import dev.finetune4j.api.Page;
import java.util.List;
import java.util.function.Function;

/**
 * The next-page cursor rules of the API's lists: most lists continue {@code after} the id of the last item on
 * the page; checkpoint permissions continue after the envelope's {@code last_id}.
 */
final class Cursors {
    private Cursors() {}

    static <T> Function<Page<T>, String> lastItemId(Function<T, String> id) {
        return page -> {
            List<T> data = page.data();
            return data.isEmpty() ? null : id.apply(data.get(data.size() - 1));
        };
    }

    static <T> Function<Page<T>, String> envelopeLastId() {
        return Page::lastId;
    }
}
