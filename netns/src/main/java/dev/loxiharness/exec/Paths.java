package dev.loxiharness.exec;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.Stream;

/** Files and tools: the two small chores every lab, test and benchmark has. */
public final class Paths {
    private Paths() {
    }

    /** Deletes a folder with everything in it; a missing folder is fine. */
    public static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Whether {@code tool} is an executable on PATH (with the sbin folders root has). */
    public static boolean onPath(String tool) {
        String path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/usr/bin:/sbin:/bin";
        return Arrays.stream(path.split(":")).filter(d -> !d.isEmpty()).anyMatch(d -> new File(d, tool).canExecute());
    }
}
