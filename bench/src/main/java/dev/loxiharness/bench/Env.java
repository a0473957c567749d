package dev.loxiharness.bench;

import dev.loxiharness.console.Progress;
import dev.loxiharness.exec.Host;
import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Where things are: the repository (for bin/loxilb, bin/loxicmd), the JVM and the bench jar; and
 * where long work tells its progress.
 */
record Env(Path root, String java, Path benchJar, Progress progress) {
    /** The launchers' jar, which bin/jar.sh keeps current. */
    Path loxilbJar() {
        return root.resolve("loxilb/target/loxilb.jar");
    }

    /** The repository: {@code -Dbench.root}, which bench/run sets, else the working directory. */
    static Path repository() {
        return Path.of(System.getProperty("bench.root", ".")).toAbsolutePath().normalize();
    }

    static Env detect() {
        Path root = repository();
        String java = Host.java();
        Path jar;
        try {
            jar = Path.of(Env.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("run from the bench jar (the load client runs from it in a namespace): " + jar);
        }
        if (!Files.isExecutable(root.resolve("bin/loxilb"))) {
            throw new IllegalStateException("not the repository root (no bin/loxilb): " + root + "; set -Dbench.root");
        }
        return new Env(root, java, jar, Progress.on(System.out));
    }

    /**
     * Brings loxilb.jar up to date the way the launchers do (bin/jar.sh), before anything is timed,
     * so that no measured start includes a Maven build. Returns what happened, for the report.
     */
    String ensureLoxilbJar() {
        long before = loxilbJar().toFile().lastModified();
        String why = "";
        for (int attempt = 0; attempt < 3; attempt++) {
            Procs.Timed t = Procs.run(List.of("bash", "-c", "source \"$1\"", "bench",
                    root.resolve("bin/jar.sh").toString()), null, Duration.ofMinutes(5));
            if (t.ok()) {
                return loxilbJar().toFile().lastModified() != before ? "rebuilt by bin/jar.sh before measuring"
                        : "current";
            }
            // most often another build in the same tree was writing the same jars: wait, try again
            why = t.result().toString() + " " + t.result().stdout();
            try {
                Thread.sleep(15_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new IllegalStateException("bin/jar.sh could not build " + loxilbJar() + " (3 attempts): " + why);
    }

    /** A launcher call and how many earlier attempts were thrown away because the launcher built jars. */
    record Launch(Procs.Timed timed, int discarded) {
    }

    static final int LAUNCH_ATTEMPTS = 4;

    /**
     * Runs a launcher (bin/loxicmd, ...) and times it. The launchers build the jars first whenever
     * any source in the tree is newer (other people edit it meanwhile): an attempt that built, seen
     * from the launcher's "building" line or a new loxilb.jar, is not a measurement and is retried,
     * up to {@value #LAUNCH_ATTEMPTS} attempts. The timeout is generous so that such a build is never
     * killed half-way (it writes jars others use).
     */
    Launch launch(List<String> argv) {
        for (int attempt = 0; attempt < LAUNCH_ATTEMPTS; attempt++) {
            long mtime = loxilbJar().toFile().lastModified();
            Procs.Timed t = Procs.run(argv, null, Duration.ofMinutes(5));
            if (!built(t.result().stderr(), mtime)) {
                return new Launch(t, attempt);
            }
        }
        throw new IllegalStateException("the launcher rebuilt the jars on each of " + LAUNCH_ATTEMPTS
                + " attempts (sources in the tree keep changing): " + String.join(" ", argv));
    }

    /** Whether a launcher built jars: its "building" line in {@code output}, or a new loxilb.jar. */
    boolean built(String output, long jarMtimeBefore) {
        return output.contains("building ") || loxilbJarChangedSince(jarMtimeBefore);
    }

    /** True when the launchers' jar changed since {@code mtime} (someone rebuilt it mid-measurement). */
    boolean loxilbJarChangedSince(long mtime) {
        return new File(loxilbJar().toString()).lastModified() != mtime;
    }
}
