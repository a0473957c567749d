package dev.loxiharness.harness.kind;

import dev.loxiharness.exec.ExecResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What bringing a kind cluster up needs of the container runtime and of the topology's wires, by
 * node (the topology file's node name). The harness's implementation runs kindest/node containers
 * through docker-java and wires them like every container node; tests record the calls.
 */
public interface ClusterRuntime {
    /** Creates and starts the node's container (kind's settings, network mode none) and wires its interfaces. */
    void startNode(ClusterLayout.ClusterNode node);

    /** Waits for the node's systemd to reach its multi-user target (kind's sign that the node booted). */
    void awaitBooted(ClusterLayout.ClusterNode node, Duration timeout);

    /** Writes a file into the node. */
    void copyFile(ClusterLayout.ClusterNode node, String path, String content);

    /** Runs a command in the node. */
    ExecResult exec(ClusterLayout.ClusterNode node, Duration timeout, List<String> argv);

    /** Saves images of the local Docker into one tar ({@code docker save}) that every node sees; never pulls. */
    Path saveImages(List<String> images);

    /** Imports that tar into the node's containerd ({@code k8s.io} namespace). */
    void importImages(ClusterLayout.ClusterNode node, Path tar);

    /** Deletes the tar once every node has imported it. */
    void dropSavedImages(Path tar);

    /** Removes the node's container, if there is one. */
    void removeNode(ClusterLayout.ClusterNode node);
}
