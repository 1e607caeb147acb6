package dev.finetune4j.server;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Loaded chat models, the few most recently used kept in memory. */
final class ChatModels {
    private static final int KEEP = 4;

    private final Engine engine;
    private final Map<String, Engine.Chatbot> cache = new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Engine.Chatbot> eldest) {
            return size() > KEEP;
        }
    };

    ChatModels(Engine engine) {
        this.engine = engine;
    }

    synchronized Engine.Chatbot get(String config, Path weights) throws IOException {
        String key = config + "|" + (weights == null ? "" : weights.toAbsolutePath());
        Engine.Chatbot bot = cache.get(key);
        if (bot == null) {
            bot = engine.load(config, weights);
            cache.put(key, bot);
        }
        return bot;
    }

    synchronized void evict(Path weights) {
        String suffix = "|" + weights.toAbsolutePath();
        cache.keySet().removeIf(k -> k.endsWith(suffix));
    }
}
