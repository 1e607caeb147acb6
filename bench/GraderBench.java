import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.grade.PythonExecutor;
import java.io.IOException;
import java.util.Arrays;

/**
 * Python graders: milliseconds per grade through {@link PythonExecutor} (one python process grading sample after
 * sample), next to starting a python process per grade, which is the least any grader run in a process of its own
 * costs. usage: java -cp ... GraderBench [GRADES=300]
 */
public final class GraderBench {
    static final String SOURCE = "def grade(sample, item):\n"
            + "    return 1.0 if sample['output_text'].strip() == item['answer'] else 0.0\n";

    public static void main(String[] args) throws Exception {
        int grades = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        ObjectNode sample = JsonNodeFactory.instance.objectNode().put("output_text", " 4 ");
        ObjectNode item = JsonNodeFactory.instance.objectNode().put("answer", "4");
        PythonExecutor executor = new PythonExecutor();
        if (!executor.available()) throw new IllegalStateException("python3 is not on the PATH");
        String python = interpreter();
        double[] worker = new double[5];
        double[] perProcess = new double[5];
        try {
            for (int round = 0; round < worker.length; round++) {
                long t = System.nanoTime();
                for (int i = 0; i < grades; i++) {
                    if (executor.run(SOURCE, sample, item).score() != 1.0) throw new AssertionError("wrong score");
                }
                worker[round] = (System.nanoTime() - t) / 1e6 / grades;
                int starts = Math.max(10, grades / 10); // starting processes is slow: fewer of them
                t = System.nanoTime();
                for (int i = 0; i < starts; i++) startPython(python);
                perProcess[round] = (System.nanoTime() - t) / 1e6 / starts;
            }
        } finally {
            executor.stop();
        }
        Arrays.sort(worker);
        Arrays.sort(perProcess);
        System.out.printf("python grader, median of %d rounds: %.2f ms per grade in a reused process; starting a"
                + " python process per grade alone costs %.1f ms (%.0fx)%n", worker.length, worker[2], perProcess[2],
                perProcess[2] / worker[2]);
    }

    /** The interpreter behind {@code python3} (not a launcher such as a pyenv shim, which is far slower to start). */
    static String interpreter() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("python3", "-I", "-c", "import sys; sys.stdout.write(sys.executable)").start();
        String path = new String(p.getInputStream().readAllBytes()).strip();
        if (p.waitFor() != 0 || path.isEmpty()) throw new IllegalStateException("python3 failed");
        return path;
    }

    /** Python's start and exit with the grader's imports, which is what a process per grade adds at the least. */
    static void startPython(String python) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(python, "-I", "-c", "import json, math, numbers, traceback")
                .redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        if (p.waitFor() != 0) throw new IllegalStateException("python3 failed");
    }
}
