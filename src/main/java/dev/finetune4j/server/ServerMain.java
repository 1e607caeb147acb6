package dev.finetune4j.server;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The standalone server: {@code java -cp finetune4j-all.jar dev.finetune4j.server.ServerMain --port 7080
 * --data ~/.finetune4j --host 127.0.0.1}. Prints the URL and the keys, then serves until interrupted (Ctrl-C
 * stops it cleanly: running jobs save their state and resume at the next start).
 */
public final class ServerMain {
    static final int DEFAULT_PORT = 7080;

    private ServerMain() {}

    public static void main(String[] args) throws InterruptedException {
        LocalServer.Builder builder = LocalServer.builder().port(DEFAULT_PORT);
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--port" -> builder.port(Integer.parseInt(value(args, ++i, a)));
                case "--data" -> builder.dataDir(Path.of(expandHome(value(args, ++i, a))));
                case "--host" -> builder.host(value(args, ++i, a));
                case "--max-jobs" -> builder.maxConcurrentJobs(Integer.parseInt(value(args, ++i, a)));
                case "--threads" -> builder.trainingThreads(Integer.parseInt(value(args, ++i, a)));
                case "--python-graders" -> {
                    String who = value(args, ++i, a);
                    try {
                        builder.pythonGraders(LocalServer.PythonGraders.parse(who));
                    } catch (IllegalArgumentException e) {
                        System.err.println("--python-graders takes owner, all or none, not '" + who + "'");
                        System.exit(2);
                    }
                }
                case "-h", "--help" -> {
                    usage();
                    return;
                }
                default -> {
                    System.err.println("unknown option: " + a);
                    usage();
                    System.exit(2);
                }
            }
        }
        LocalServer server = builder.start();
        if (server.attached()) {
            System.out.println("A finetune4j server already serves " + server.dataDir() + ":");
            print(server);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "finetune4j-shutdown"));
        System.out.println("finetune4j server running (Ctrl-C to stop)");
        print(server);
        if (LocalServer.trainingNote() != null) System.out.println("note: " + LocalServer.trainingNote());
        System.out.flush();
        stopped.await();
    }

    private static void print(LocalServer server) {
        System.out.println("  URL:       " + server.baseUrl());
        System.out.println("  API key:   " + server.apiKey());
        System.out.println("  Admin key: " + server.adminKey());
        System.out.println("  Data:      " + server.dataDir());
        System.out.println("export OPENAI_BASE_URL=" + server.baseUrl() + " OPENAI_API_KEY=" + server.apiKey());
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            System.err.println(option + " needs a value");
            System.exit(2);
        }
        return args[i];
    }

    private static String expandHome(String path) {
        return path.startsWith("~/") ? System.getProperty("user.home") + path.substring(1) : path;
    }

    private static void usage() {
        System.out.println("usage: ftserver [--port N (default " + DEFAULT_PORT + ", 0 = any free port)]"
                + " [--data DIR (default $FINETUNE4J_DATA or ~/.finetune4j)] [--host 127.0.0.1] [--max-jobs 1] [--threads N]"
                + " [--python-graders owner|all|none]");
        System.out.println("  --python-graders: who may use python graders, which run code on this machine as the"
                + " server's user: owner (default: the admin key and the default project, whose key is printed at"
                + " start), all (every project) or none.");
    }
}
