package dev.loxiharness.harness.backend;

import dev.loxiharness.console.Progress;
import dev.loxiharness.harness.model.Topology;
import dev.loxiharness.harness.state.StateDir;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A way to run topologies (containerlab's runtime): it brings a topology up, finds a running one
 * again from its state folder, and sweeps what crashed runs left. Implementations are found by
 * name through {@link Backends} ({@code META-INF/services}), so nothing here names one.
 */
public interface Backend {
    /** The name a topology file ({@code backend:}) and {@code --backend} use. */
    String name();

    /** One line for {@code --help}: what runs the nodes and the Kubernetes part. */
    String description();

    /** Empty when {@code topology} can run here; otherwise why not, and what to do about it. */
    Optional<String> whyNot(Topology topology, Path home);

    /**
     * What {@link #up} would make of {@code topology} ({@code ./topology plan}), creating nothing:
     * no state folder, no namespace, no process, no container. It may look (e.g. whether an image
     * is in the Docker engine) but never changes anything. This default says only what the file
     * says; a backend adds its networks, nodes, processes and rendered settings.
     */
    default Plan plan(Topology topology, Path home) {
        return new Plan().add("topology", List.of(
                "name         " + topology.name(),
                "file         " + topology.source(),
                "backend      " + name() + ": " + description(),
                "description  " + topology.description(),
                "(the " + name() + " backend gives no detailed plan yet)"));
    }

    /** Brings {@code topology} up; on any failure or interruption everything made so far is removed. */
    RunningTopology up(Topology topology, Path home, Progress progress);

    /** The running topology recorded in {@code state}. */
    RunningTopology attach(StateDir state, Path home);

    /**
     * Removes everything {@code state}'s ledger names (processes by pid, namespaces, containers) and
     * the state folder; needs nothing else, so it works when the topology file is gone.
     */
    void down(StateDir state);

    /** Removes leftovers of this backend whose names start with the prefix of {@code name} ("" for all) that no ledger names. */
    List<String> sweepUnrecorded(String name);
}
