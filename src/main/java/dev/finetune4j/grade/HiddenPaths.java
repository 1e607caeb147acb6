package dev.finetune4j.grade;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hides folders and files from a python grader: python starts in a mount namespace of its own in which an empty
 * read-only tmpfs covers each folder and {@code /dev/null} each file. The mounts are made by {@code sh} in the outer
 * namespaces ({@code unshare -r [-n] -m}); python then starts in a second user and mount namespace, nested in the
 * first, into which the mounts are copied locked: a grader, root of that namespace, can neither unmount them nor
 * remount them writable, as it could the mounts of its own namespace. Each step execs the next, so the process
 * started stays python itself.
 */
final class HiddenPaths {
    /** Mounts over "$2".."$($1+1)", then execs the rest; a mount that fails ends the process (fail closed). */
    private static final String MOUNT = String.join("\n",
            "n=$1; shift",
            "while [ \"$n\" -gt 0 ]; do",
            "  if [ -d \"$1\" ]; then",
            "    mount -t tmpfs -o ro,nosuid,nodev,noexec,mode=0555,size=4k finetune4j-hidden \"$1\" || exit 125",
            "  else",
            "    mount --bind /dev/null \"$1\" || exit 125",
            "  fi",
            "  shift; n=$((n - 1))",
            "done",
            "exec \"$@\"");
    /** The nested namespaces python runs in: their copy of the mounts above is locked. */
    private static final List<String> LOCK = List.of("unshare", "-r", "-m");
    // exits 0 only when each path given looks hidden: an empty folder or an empty file
    private static final String CHECK = "import os, sys\n"
            + "sys.exit(0 if all(not os.listdir(p) if os.path.isdir(p) else os.path.getsize(p) == 0"
            + " for p in sys.argv[1:]) else 1)\n";

    private HiddenPaths() {}

    /** What to hide of the paths asked for, and why the others are not hidden. */
    record Plan(List<Path> hidden, Map<Path, String> kept) {}

    /**
     * Real paths of the requested ones, none inside another one (the outer one covers it), except those that do not
     * exist and those that hold a path python needs (the interpreter, its installation, the graders' temporary
     * folders), kept with the reason: hidden, python could not start or its folder would be gone.
     */
    static Plan plan(List<Path> requested, List<Path> pythonNeeds, Path temporaryFolders) {
        List<Path> python = new ArrayList<>();
        for (Path p : pythonNeeds) {
            python.add(p.toAbsolutePath().normalize());
            python.add(real(p));
        }
        Path temp = real(temporaryFolders);
        List<Path> candidates = new ArrayList<>();
        Map<Path, String> kept = new LinkedHashMap<>();
        for (Path p : requested) {
            Path path = real(p);
            if (!Files.exists(p)) {
                kept.put(path, "it does not exist"); // an empty folder cannot be mounted over nothing
            } else if (python.stream().anyMatch(q -> q.startsWith(path))) {
                kept.put(path, "python lives there");
            } else if (temp.startsWith(path)) {
                kept.put(path, "it holds the graders' temporary folders");
            } else if (!candidates.contains(path)) {
                candidates.add(path);
            }
        }
        candidates.sort(Comparator.comparingInt(Path::getNameCount));
        List<Path> hidden = new ArrayList<>();
        for (Path p : candidates) {
            if (hidden.stream().noneMatch(p::startsWith)) hidden.add(p);
        }
        return new Plan(List.copyOf(hidden), Collections.unmodifiableMap(kept));
    }

    /** The command that starts what follows it (python) with the paths hidden, and no network unless allowed. */
    static List<String> launcher(boolean noNetwork, List<Path> hidden) {
        List<String> command = new ArrayList<>(noNetwork ? List.of("unshare", "-r", "-n", "-m")
                : List.of("unshare", "-r", "-m"));
        command.addAll(List.of("sh", "-c", MOUNT, "finetune4j-hide", Integer.toString(hidden.size())));
        for (Path p : hidden) command.add(p.toString());
        command.addAll(LOCK);
        return command;
    }

    /**
     * Whether python starts under the launcher and finds each path hidden; {@code launcher true} when python is
     * null; null when it did not end in time. The kernel, a policy (AppArmor, seccomp) or a missing {@code mount} may
     * refuse the mounts.
     */
    static Boolean work(List<String> launcher, String python, List<Path> hidden) {
        List<String> command = new ArrayList<>(launcher);
        if (python == null) {
            command.add("true");
        } else {
            command.addAll(List.of(python, "-I", "-c", CHECK));
            for (Path p : hidden) command.add(p.toString());
        }
        return PythonExecutor.succeeds(command);
    }

    private static Path real(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return p.toAbsolutePath().normalize();
        }
    }
}
