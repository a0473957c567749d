package dev.loxiharness.harness.backend;

import dev.loxiharness.exec.ExecResult;
import dev.loxiharness.harness.model.Topology;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * One node of a running topology, whatever runs it (a network namespace, a container): the one
 * way to run a command in it, to put files in it and to start its daemons. Roles, probes, checks
 * and evidence all go through it, so none of them knows the backend (MetalLB e2e's Executor).
 *
 * <p>Paths given to a node are paths <em>in the node</em> ({@code /etc/bird/bird.conf}); where the
 * node shares the host's file system (a namespace) the backend keeps them in a folder of the node's
 * own, and {@link #path} says where a node path is for the node's processes.
 */
public interface Node {
    Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    /** The node's name in the topology file. */
    String name();

    /** The node as the topology file describes it. */
    Topology.Node spec();

    /** What the node is made of, for people: {@code namespace lxh-seed-lb}, {@code container loxilb}. */
    String describe();

    /** Runs {@code cmd} inside the node (its network, its file system, its PATH), bounded by {@code timeout}. */
    ExecResult exec(Duration timeout, String stdin, List<String> cmd);

    default ExecResult exec(String... cmd) {
        return exec(DEFAULT_TIMEOUT, null, Arrays.asList(cmd));
    }

    /** The argv that runs {@code cmd} inside the node from the host with the caller's terminal ({@code ./topology exec}). */
    List<String> interactive(List<String> cmd);

    /** The argv that runs a host program ({@code tcpdump}, {@code nft}) in the node's network namespace only. */
    List<String> inNetwork(List<String> cmd);

    /** The node's network namespace as a file to open and {@code setns(2)} into (packet captures). */
    Path networkNamespace();

    /**
     * Where {@code nodePath} is for the processes of this node: itself in a container, a folder of
     * the node's own in the state folder for a namespace (the node shares the host's file system).
     * Its parent folder exists.
     */
    String path(String nodePath);

    /** Writes a file into the node at {@code nodePath}; returns {@link #path(String)} of it. */
    String writeFile(String nodePath, String content);

    /** Starts a long-running program in the node ({@code argv[0]} found on the node's PATH); recorded for {@code down}. */
    void daemon(String what, List<String> argv);

    /**
     * The daemons running in the node that faults can hit, found from what was recorded when they
     * started (and the processes those daemons run themselves, such as loxilb's gobgpd).
     */
    default List<Daemon> daemons() {
        return List.of();
    }

    /** The last lines of what daemon {@code what} printed, for error messages. */
    String logTail(String what, int lines);
}
