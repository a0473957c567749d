package dev.loxiharness.harness.backend;

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
