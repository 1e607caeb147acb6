package dev.finetune4j.server;

import java.nio.file.Path;

/**
 * A server in its own JVM, for tests that kill it: {@code ChildServer <dataDir> <stepMillis|real> [stateEverySteps]}.
 * With a number it trains with {@link CountingEngine}; with {@code real} it runs the real engine, as ServerMain does.
 */
public final class ChildServer {
    private ChildServer() {}

    public static void main(String[] args) throws InterruptedException {
        int stateEvery = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        LocalServer.Builder b = LocalServer.builder().dataDir(Path.of(args[0])).resumeStateEverySteps(stateEvery);
        if (!args[1].equals("real")) b.engine(new CountingEngine(Long.parseLong(args[1])));
        LocalServer server = b.start();
        System.out.println("URL " + server.baseUrl());
        System.out.flush();
        Thread.currentThread().join();
    }
}
