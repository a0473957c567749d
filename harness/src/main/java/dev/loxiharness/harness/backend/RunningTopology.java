package dev.loxiharness.harness.backend;

import dev.loxiharness.harness.model.Topology;
import dev.loxiharness.harness.state.StateDir;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A topology that is up, as the CLI, the checks, the evidence and the JUnit handle see it: its
 * nodes, its Kubernetes API, its state folder, and the way down.
 */
public interface RunningTopology {
    Topology topology();

    default String name() {
        return topology().name();
    }

    /** The backend that runs it. */
    String backend();

    /** Its state folder: the ledger of what was made, the daemons' logs and configs. */
    StateDir state();

    /** The nodes by name, in the order of the topology file. */
    Map<String, Node> nodes();

    default Node node(String name) {
        Node n = nodes().get(name);
        if (n == null) {
            throw new IllegalArgumentException("no node " + name + " in topology " + name() + " (nodes: "
                    + String.join(", ", nodes().keySet()) + ")");
        }
        return n;
    }

    /**
     * Every place a fault can hit, by the name fault commands use: each node (its {@link Node#daemons()}),
     * then what else the backend runs daemons in, such as the simulated kubelet's pods
     * ({@code pod/default/nginx}).
     */
    default Map<String, List<Daemon>> faultTargets() {
        Map<String, List<Daemon>> out = new LinkedHashMap<>();
        nodes().forEach((name, node) -> out.put(name, node.daemons()));
        return out;
    }

    /** kubectl against its API server; fails when the topology has no {@code kubernetes:} section. */
    Kubectl kubectl();

    /** One line on how its Kubernetes runs and how to reach it; empty without a {@code kubernetes:} section. */
    default Optional<String> kubernetesSummary() {
        return Optional.empty();
    }

    /**
     * Writes what is not in the state folder already (e.g. container logs) into it, so that
     * evidence finds every log there.
     */
    default void snapshotLogs() {
    }

    /** Removes everything it made: processes, namespaces, containers, the state folder. */
    void down();
}
