package dev.finetune4j.data;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/** What the tools that write files (split, clean, convert) share: they write a part file and move it into place. */
final class OutputFiles {
    private OutputFiles() {}

    /** Whether two paths name the same file: the same path, or (for files that exist) the same file by another name. */
    static boolean sameFile(Path a, Path b) {
        if (a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize())) {
            return true;
        }
        try {
            return Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }

    static Path temp(Path target) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        // not Files.createTempFile: its files are owner-only, and the result should get the usual permissions
        while (true) {
            Path part = dir.resolve(target.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".part");
            try {
                return Files.createFile(part);
            } catch (FileAlreadyExistsException e) {
                // another name
            }
        }
    }
}
