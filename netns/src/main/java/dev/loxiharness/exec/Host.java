package dev.loxiharness.exec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Facts about the machine the harness runs on: whether we are root, where the repository is. */
public final class Host {
    /** The system property naming the repository root. */
    public static final String HOME_PROPERTY = "loxiharness.home";

    private Host() {
    }

    /** The java launcher of the JVM this runs on: what our own daemons and helpers are started with. */
    public static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Whether this process runs with user id 0 (from /proc, not the user's name). */
    public static boolean isRoot() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("Uid:"))
                    .map(l -> l.split("\\s+")[2]).anyMatch("0"::equals);
        } catch (IOException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    /**
     * The repository root: {@code -Dloxiharness.home}, else the nearest folder upwards from the
     * working directory that holds {@code topologies/} and {@code bin/loxilb}.
     */
    public static Path home() {
        String prop = System.getProperty(HOME_PROPERTY);
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop).toAbsolutePath().normalize();
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("topologies")) && Files.exists(p.resolve("bin/loxilb"))) {
                return p;
            }
        }
        throw new IllegalStateException("cannot find the loxiharness repository: run from inside it or set -D"
                + HOME_PROPERTY + "=PATH");
    }
}
