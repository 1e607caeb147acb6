package dev.finetune4j.server;

import dev.finetune4j.grade.Grader;
import dev.finetune4j.grade.GraderParts;
import dev.finetune4j.grade.PythonExecutor;
import dev.finetune4j.grade.PythonGrader;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who may use python graders, and the checks of their source. A python grader runs its code on the server's
 * machine as the server's user: the data directory is hidden from it where Linux allows (see
 * {@link PythonExecutor#pathsHidden()}), but it can read the user's other files and, elsewhere, the data directory
 * with the admin key. So it runs only for callers the server trusts with code execution: by default its owner (the
 * admin key and the default project, whose key the server prints at start); {@link LocalServer.PythonGraders}
 * changes that.
 */
final class PythonGraderAccess {
    static final String NOT_ALLOWED = "python_grader_not_allowed";

    private final LocalServer.PythonGraders who;
    private final String defaultProject;
    private final PythonExecutor python;
    private final Map<String, PythonExecutor> byProject = new ConcurrentHashMap<>();
    private volatile boolean stopped;

    PythonGraderAccess(LocalServer.PythonGraders who, String defaultProject, PythonExecutor python) {
        this.who = who;
        this.defaultProject = defaultProject;
        this.python = python;
    }

    /**
     * The executor of the graders API for a project. Each project has its own, as its python processes grade one
     * sample after another and a grader could leave state in them for the next.
     */
    PythonExecutor executor(String projectId) {
        if (stopped) return python;
        PythonExecutor executor = byProject.computeIfAbsent(projectId, p -> python.copy());
        if (stopped) executor.stop(); // stopAll ran while it was created
        return executor;
    }

    /** A new executor for a training job, so that a stop of the job kills its graders and no one else's. */
    PythonExecutor forJob() {
        return python.copy();
    }

    /** Kills every python grader of the graders API, for a server closing. Jobs stop theirs themselves. */
    void stopAll() {
        stopped = true;
        python.stop();
        for (PythonExecutor e : byProject.values()) e.stop();
    }

    boolean allowed(Caller caller) {
        return switch (who) {
            case ALL -> true;
            case NONE -> false;
            case OWNER -> caller.admin() || caller.projectId().equals(defaultProject);
        };
    }

    /** Refuses (403) a grader that holds python graders when the caller may not run them. */
    void checkAllowed(Caller caller, Grader grader, String param) {
        Map<String, PythonGrader> found = GraderParts.python(grader, param);
        if (found.isEmpty() || allowed(caller)) return;
        throw new ApiException(403, refusal(caller.projectId()), ApiException.INVALID_REQUEST,
                found.keySet().iterator().next(), NOT_ALLOWED);
    }

    /**
     * For the operator at start: who may run python graders and what their processes may use, e.g. {@code owner
     * only (admin key and default project); no network, 2048 MB of memory, ...}.
     */
    String describe() {
        return switch (who) {
            case NONE -> "disabled";
            case ALL -> "every project; " + python.describeSandbox();
            case OWNER -> "owner only (admin key and default project); " + python.describeSandbox();
        };
    }

    /** Why a project may not run python graders, and how an operator changes that. */
    String refusal(String projectId) {
        if (who == LocalServer.PythonGraders.NONE) {
            return "Python graders are disabled on this server: they run code on the server's machine with the"
                    + " rights of the server's user. An operator can allow them for the server's own key with"
                    + " `ftserver --python-graders owner` (LocalServer.builder().pythonGraders(PythonGraders.OWNER)),"
                    + " or for every project with `--python-graders all`.";
        }
        return "Project " + projectId + " may not use python graders: they run code on the server's machine with the"
                + " rights of the server's user, so this server runs them only for its admin key and its default"
                + " project (the API key it printed at start). Use a string_check, text_similarity or model grader,"
                + " or ask the operator to allow python graders for every project with `ftserver --python-graders"
                + " all` (LocalServer.builder().pythonGraders(PythonGraders.ALL)).";
    }

    /**
     * Compiles the source of each python grader in a python process, without running it: a 400 names the grader
     * whose source does not compile (with the line) or defines no {@code grade}, or says that python is missing.
     */
    void checkSources(Grader grader, String param) {
        for (Map.Entry<String, PythonGrader> e : GraderParts.python(grader, param).entrySet()) {
            PythonExecutor.Result r = python.check(e.getValue().source());
            switch (r.status()) {
                case OK -> { }
                case STOPPED -> throw new ApiException(503, "The server is stopping; send the request again once it"
                        + " is back.", "server_error", null, "server_stopping");
                case UNAVAILABLE -> throw ApiException.badRequest("Python graders cannot run on this server: "
                        + r.details() + ". Install Python 3 and put python3 on the PATH of the server.",
                        e.getKey(), "python_unavailable");
                default -> throw ApiException.badRequest("Invalid python grader source: " + r.details()
                        + " (the source was compiled, not run).", e.getKey() + ".source", "invalid_grader");
            }
        }
    }
}
