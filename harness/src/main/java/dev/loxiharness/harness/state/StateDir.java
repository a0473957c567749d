package dev.loxiharness.harness.state;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.loxiharness.exec.Paths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A running topology's folder ({@code /run/loxiharness/<name>}): every namespace, process and
 * container it made is recorded here BEFORE it is made, so {@code down} removes exactly those, and
 * {@code down --all} finds the leftovers of a run that crashed or was killed.
 */
public final class StateDir {
    public static final Path ROOT = Path.of(System.getProperty("loxiharness.state",
            System.getenv().getOrDefault("LOXIHARNESS_STATE", "/run/loxiharness")));
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path dir;
    private final Ledger ledger;

    /** What is recorded; the file is rewritten whole, atomically, after each change. */
    public static final class Ledger {
        @JsonProperty public String name;
        @JsonProperty public String backend;
        @JsonProperty public String prefix;
        @JsonProperty public String topologyFile;
        /** The {@code --set} changes the topology was brought up with, applied again when it is read back. */
        @JsonProperty public Map<String, String> settings = new LinkedHashMap<>();
        @JsonProperty public List<String> namespaces = new ArrayList<>();
        @JsonProperty public List<ProcessRecord> processes = new ArrayList<>();
        @JsonProperty public List<String> containers = new ArrayList<>();
        @JsonProperty public String kubeconfig;
        @JsonProperty public String apiServer;
    }

    /**
     * A process by pid and the kernel's start time of that pid, so a reused pid is never killed;
     * with the argv and log it was started with, so a fault can start it again as it was
     * ({@code ./topology fault NODE restart WHAT}). Ledgers written before argv was recorded read
     * it as null.
     */
    public record ProcessRecord(@JsonProperty("pid") long pid, @JsonProperty("startTime") String startTime,
                                @JsonProperty("what") String what, @JsonProperty("namespace") String namespace,
                                @JsonProperty("argv") List<String> argv, @JsonProperty("log") String log) {
    }

    private StateDir(Path dir, Ledger ledger) {
        this.dir = dir;
        this.ledger = ledger;
    }

    public static Path of(String name) {
        return ROOT.resolve(name);
    }

    /** A new state folder for {@code name}; refuses if one is there (the topology is up, or left over). */
    public static StateDir create(String name, String backend, String prefix, Path topologyFile, Map<String, String> settings) {
        Path dir = of(name);
        if (Files.exists(dir.resolve("state.json"))) {
            throw new IllegalStateException("topology " + name + " is already up (state in " + dir
                    + "); run ./topology down " + name + " first");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir + ": " + e.getMessage(), e);
        }
        Ledger l = new Ledger();
        l.name = name;
        l.backend = backend;
        l.prefix = prefix;
        l.topologyFile = topologyFile == null ? null : topologyFile.toString();
        l.settings = new LinkedHashMap<>(settings);
        StateDir s = new StateDir(dir, l);
        s.update(x -> { });
        return s;
    }

    public static StateDir open(String name) {
        Path dir = of(name);
        try {
            return new StateDir(dir, JSON.readValue(dir.resolve("state.json").toFile(), Ledger.class));
        } catch (IOException e) {
            throw new UncheckedIOException("no running topology " + name + " (" + dir + ": " + e.getMessage() + ")", e);
        }
    }

    /** Names of every topology with a state folder. */
    public static List<String> all() {
        if (!Files.isDirectory(ROOT)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(ROOT)) {
            return s.filter(p -> Files.exists(p.resolve("state.json"))).map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path dir() {
        return dir;
    }

    public Path file(String name) {
        return dir.resolve(name);
    }

    /** The ledger as it is on disk now (the CLI and the Kubernetes agent both write it). */
    public synchronized Ledger ledger() {
        update(l -> { });
        return ledger;
    }

    public void recordNamespace(String ns) {
        update(l -> l.namespaces.add(ns));
    }

    /** A container by name (labelled with the topology as well, so a lost record is still swept). */
    public void recordContainer(String name) {
        update(l -> l.containers.add(name));
    }

    public void forgetContainer(String name) {
        update(l -> l.containers.remove(name));
    }

    public void recordProcess(ProcessRecord p) {
        update(l -> l.processes.add(p));
    }

    public void forgetProcess(long pid) {
        update(l -> l.processes.removeIf(p -> p.pid() == pid));
    }

    public void recordKubernetes(String apiServer, String kubeconfig) {
        update(l -> {
            l.apiServer = apiServer;
            l.kubeconfig = kubeconfig;
        });
    }

    /**
     * Read, change, write under an exclusive lock on {@code state.lock}: two processes record into
     * one ledger (the CLI its daemons, the Kubernetes agent its pods), and neither may lose the
     * other's records.
     */
    private synchronized void update(Consumer<Ledger> change) {
        Path file = dir.resolve("state.json");
        if (!Files.exists(dir)) {
            return; // removed by down: nothing left to record into
        }
        try (FileChannel lock = FileChannel.open(dir.resolve("state.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock held = lock.lock()) {
            if (Files.exists(file)) {
                Ledger onDisk = JSON.readValue(file.toFile(), Ledger.class);
                ledger.namespaces = onDisk.namespaces;
                ledger.processes = onDisk.processes;
                ledger.containers = onDisk.containers;
                ledger.apiServer = onDisk.apiServer;
                ledger.kubeconfig = onDisk.kubeconfig;
            }
            change.accept(ledger);
            save();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot update " + file + ": " + e.getMessage(), e);
        }
    }

    private void save() {
        try {
            Path tmp = dir.resolve("state.json.tmp");
            JSON.writeValue(tmp.toFile(), ledger);
            Files.move(tmp, dir.resolve("state.json"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve("state.json") + ": " + e.getMessage(), e);
        }
    }

    /** Removes the folder with everything in it (configs, logs, the ledger). */
    public void delete() {
        Paths.deleteTree(dir);
    }
}
