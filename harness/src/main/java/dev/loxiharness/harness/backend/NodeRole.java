package dev.loxiharness.harness.backend;

/**
 * One kind of node (containerlab's "kind"): what it runs once the node's links and addresses
 * exist. Found through {@link Roles}, not a switch.
 */
public interface NodeRole {
    /** The role's name as topology files say it. */
    String name();

    /** Starts what the role runs in the node. */
    void start(NodeContext ctx);

    /** Waits until what {@link #start} started is ready to be checked (e.g. an API answers). */
    default void awaitReady(NodeContext ctx) {
    }

    /** Whether the node forwards packets (routers, load balancers, Kubernetes nodes). */
    default boolean forwards() {
        return false;
    }
}
