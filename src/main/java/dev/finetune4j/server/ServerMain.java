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
        // an operator's log: a line per request and per job event (notebooks keep these quiet); set before the
        // first logger is made, and only where the user has not chosen (compile-time constants: naming them here
        // does not initialise LocalServer, whose own defaults are quieter)
        for (String log : new String[] {JobStore.JOB_LOG_NAME, LocalServer.REQUEST_LOG_NAME}) {
            String key = "org.slf4j.simpleLogger.log." + log;
            if (System.getProperty(key) == null) System.setProperty(key, "info");
        }
        if (System.getProperty("org.slf4j.simpleLogger.showDateTime") == null) {
            System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
            System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSZ"); // +0000
        }
        LocalServer.Builder builder = LocalServer.builder().port(DEFAULT_PORT);
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--port" -> builder.port(number(value(args, ++i, a), a, 0, 65535));
                case "--data" -> builder.dataDir(Path.of(expandHome(value(args, ++i, a))));
                case "--host" -> builder.host(value(args, ++i, a));
                case "--max-jobs" -> builder.maxConcurrentJobs(number(value(args, ++i, a), a, 1, 1024));
                case "--threads" -> builder.trainingThreads(number(value(args, ++i, a), a, 1, 4096));
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
        LocalServer server;
        try {
            server = builder.start();
        } catch (RuntimeException e) {
            System.err.println("ftserver: could not start: " + reason(e));
            System.exit(1);
            return;
        }
        if (server.attached()) {
            // a supervisor must see that this command does not serve: the other process does, with its own options
            System.err.println("ftserver: a finetune4j server already serves " + server.dataDir() + " at "
                    + server.baseUrl() + "; this command's options were not applied. Stop that server first, or"
                    + " give another --data.");
            System.exit(1);
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
        // the admin key acts for every project: a log that keeps the server's output must not hold it
        System.out.println("  Admin key: in " + server.dataDir().resolve("keys").resolve(LocalServer.ADMIN_KEY_FILE));
        System.out.println("  Data:      " + server.dataDir());
        String python = server.pythonGradersNote();
        if (python != null) System.out.println("  Python graders: " + python);
        System.out.println("export OPENAI_BASE_URL=" + server.baseUrl() + " OPENAI_API_KEY=" + server.apiKey());
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            System.err.println(option + " needs a value");
            System.exit(2);
        }
        return args[i];
    }

    private static int number(String text, String option, int min, int max) {
        try {
            int n = Integer.parseInt(text.strip());
            if (n >= min && n <= max) return n;
        } catch (NumberFormatException e) {
            // said below
        }
        System.err.println("ftserver: " + option + " takes a whole number from " + min + " to " + max + ", not '" + text
                + "'");
        System.exit(2);
        return min;
    }

    /** One line for an operator: a port in use, a data directory that cannot be written, ... */
    static String reason(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.BindException) {
                return "the port is in use (" + t.getMessage() + "): choose another with --port, or --port 0 for any"
                        + " free port";
            }
        }
        Throwable inner = e;
        while (inner.getCause() != null && inner.getCause() != inner) inner = inner.getCause();
        String message = inner.getMessage() != null ? inner.getMessage() : inner.getClass().getSimpleName();
        return inner == e || e.getMessage() == null ? message : e.getMessage() + " (" + message + ")";
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
