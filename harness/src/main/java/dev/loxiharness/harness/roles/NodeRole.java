package dev.loxiharness.harness.roles;

import dev.loxiharness.harness.backend.Node;
import dev.loxiharness.harness.model.Topology;

/**
 * One kind of node (containerlab's "kind"): what runs in a node once its links and addresses
 * exist, said in the node's terms (programs by name, files at their paths in the node); the
 * {@link Node} decides how (a process in a namespace, a container). Found through {@link Roles}.
 */
public interface NodeRole {
    /** The role's name as topology files say it. */
    String name();

    /** Writes the role's files into {@code node} and starts its daemons. */
    void start(Node node, Topology topology);

    /** Waits until what {@link #start} started is ready to be checked (e.g. an API answers). */
    default void awaitReady(Node node) {
    }

    /** Whether the node forwards packets (routers, load balancers, Kubernetes nodes). */
    default boolean forwards() {
        return false;
    }
}
