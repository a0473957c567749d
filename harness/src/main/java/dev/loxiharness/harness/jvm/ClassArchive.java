package dev.loxiharness.harness.jvm;

import dev.loxiharness.exec.Host;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The class-data archive (AppCDS) of one of our daemons' JVMs, kept beside its jar: a daemon that
 * starts from it maps the classes it needs instead of loading and verifying them, about half the
 * CPU of its start. Without a current archive the daemon records the classes it loads into a class
 * list beside the jar ({@code NAME.classlist.N}); {@link #make} turns the longest such list into
 * the archive, once after each build. The JVM refuses an archive whose jar changed, and then just
 * starts without it.
 *
 * <p>{@code bin/loxilb} keeps the same files for the loxilb daemon, in shell.
 */
public record ClassArchive(String name, Path jar) {
    /** What every JVM of ours uses; the archive is made with the same collector. */
    static final List<String> GC = List.of("-XX:+UseSerialGC");

    /** The Java loxilb's ({@code bin/loxilb} uses it by the same names). */
    public static ClassArchive loxilb(Path home) {
        return new ClassArchive("loxilb", home.resolve("loxilb/target/loxilb.jar"));
    }

    public static ClassArchive controller(Path home) {
        return new ClassArchive("controller", home.resolve("controller/target/controller.jar"));
    }

    /**
     * The simulated Kubernetes agent's, which runs on this JVM's class path: only when that is one
     * jar (the CLI's); the JVM archives no classes from directories (tests' class paths).
     */
    public static Optional<ClassArchive> kubeAgent() {
        String cp = System.getProperty("java.class.path");
        if (cp == null || cp.contains(java.io.File.pathSeparator) || !cp.endsWith(".jar")) {
            return Optional.empty();
        }
        return Optional.of(new ClassArchive("kube-agent", Path.of(cp).toAbsolutePath()));
    }

    /** Every daemon's archive. */
    public static List<ClassArchive> daemons(Path home) {
        List<ClassArchive> all = new ArrayList<>(List.of(loxilb(home), controller(home)));
        kubeAgent().ifPresent(all::add);
        return all;
    }

    /** Whether the archive is missing and a daemon has recorded the classes to make it from. */
    public boolean recorded() {
        return !current() && lists().stream().anyMatch(this::newerThanJar);
    }

    /**
     * The argv of the process that makes the missing archives, at the lowest CPU priority: a process
     * of topology {@code name}'s, in its ledger, so that {@code down} ends it with the rest.
     */
    public static List<String> makerArgv(Path home, String stateRoot, String name) {
        return List.of("nice", "-n", "19", Host.java(), "-Xmx64m",
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Dloxiharness.state=" + stateRoot,
                "-cp", System.getProperty("java.class.path"), ClassArchive.class.getName(), home.toString(), name);
    }

    /** The maker: {@code ClassArchive HOME TOPOLOGY}; makes the missing archives one after the other, then ends. */
    public static void main(String[] args) {
        Path home = Path.of(args[0]);
        Path java = Path.of(Host.java());
        long t0 = System.nanoTime();
        // one after the other: each archive made is kept even when down ends the maker before the next
        List<String> made = daemons(home).stream().filter(a -> a.make(java)).map(ClassArchive::name).toList();
        System.out.printf("class-data archives made for %s in %.1f s%n", made, (System.nanoTime() - t0) / 1e9);
    }

    public Path archive() {
        return jar.resolveSibling(name + ".jsa");
    }

    /** The JVM options that start from the archive, or record the class list when there is none. */
    public List<String> options() {
        if (current()) {
            return List.of("-Xshare:auto", "-XX:SharedArchiveFile=" + archive(), "-Xlog:cds=off", "-Xlog:cds+dynamic=off");
        }
        if (!Files.isRegularFile(jar)) {
            return List.of();
        }
        return List.of("-XX:DumpLoadedClassList=" + jar.resolveSibling(name + ".classlist." + ThreadLocalRandom.current().nextInt(1 << 30)));
    }

    /** Whether the archive exists and is newer than the jar it was made from. */
    public boolean current() {
        try {
            return Files.isRegularFile(archive()) && Files.getLastModifiedTime(archive()).compareTo(Files.getLastModifiedTime(jar)) > 0;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Makes the archive from the longest class list recorded since the jar was built, when it is not
     * current; removes the lists. Returns whether it made one. The archive appears whole or not at all.
     */
    public boolean make(Path java) {
        if (current() || !Files.isRegularFile(jar)) {
            return false;
        }
        // topologies come up side by side (tests in parallel): one maker per archive, the others skip it
        try (FileChannel lockFile = FileChannel.open(jar.resolveSibling(name + ".archive-lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock held = lockFile.tryLock()) {
            return held != null && !current() && makeLocked(java);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private boolean makeLocked(Path java) {
        removeStaleTemporaries();
        List<Path> lists = lists();
        try {
            Optional<Path> longest = lists.stream().filter(this::newerThanJar).max(Comparator.comparingLong(ClassArchive::size));
            if (longest.isEmpty()) {
                return false;
            }
            // the daemon may still be writing it: only whole lines
            Path list = Files.createTempFile(jar.getParent(), name + ".", ".lines");
            Path tmp = jar.resolveSibling(name + ".jsa." + ProcessHandle.current().pid());
            try {
                String text = Files.readString(longest.get());
                Files.writeString(list, text.substring(0, text.lastIndexOf('\n') + 1));
                // killed with the maker (util-linux's setpriv sets the parent-death signal), so that
                // ending the maker by its pid, as down does, leaves no dump behind
                List<String> argv = new ArrayList<>(List.of("setpriv", "--pdeathsig", "KILL", java.toString(), "-Xshare:dump",
                        "-Xlog:cds=off", "-Xlog:cds+dynamic=off"));
                argv.addAll(GC);
                argv.addAll(List.of("-XX:SharedClassListFile=" + list, "-XX:SharedArchiveFile=" + tmp, "-cp", jar.toString()));
                String jarBefore = Files.getLastModifiedTime(jar) + " " + Files.size(jar);
                Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (!p.waitFor(120, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor();
                    return false;
                }
                // a jar built again meanwhile: the archive would look current and the JVM refuse it
                if (p.exitValue() != 0 || !Files.isRegularFile(tmp)
                        || !jarBefore.equals(Files.getLastModifiedTime(jar) + " " + Files.size(jar))) {
                    return false;
                }
                Files.move(tmp, archive(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                return true;
            } finally {
                Files.deleteIfExists(list);
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            for (Path l : lists) {
                try {
                    Files.deleteIfExists(l);
                } catch (IOException e) {
                    // another make removed it
                }
            }
        }
    }

    /** The working files of makers that were ended half-way (older than a dump may take). */
    private void removeStaleTemporaries() {
        long before = System.currentTimeMillis() - 150_000;
        try (Stream<Path> s = Files.list(jar.getParent())) {
            for (Path p : s.filter(p -> {
                String f = p.getFileName().toString();
                return (f.startsWith(name + ".") && f.endsWith(".lines")) || f.startsWith(name + ".jsa.");
            }).toList()) {
                if (Files.getLastModifiedTime(p).toMillis() < before) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            // left for the next maker
        }
    }

    private List<Path> lists() {
        try (Stream<Path> s = Files.list(jar.getParent())) {
            return s.filter(p -> p.getFileName().toString().startsWith(name + ".classlist.")).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private boolean newerThanJar(Path p) {
        try {
            return Files.getLastModifiedTime(p).compareTo(Files.getLastModifiedTime(jar)) >= 0;
        } catch (IOException e) {
            return false;
        }
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }
}
