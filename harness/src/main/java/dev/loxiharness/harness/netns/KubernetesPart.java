package dev.loxiharness.harness.netns;

import dev.loxiharness.console.Progress;
import dev.loxiharness.harness.backend.Kubectl;
import java.nio.file.Path;

/**
 * How the Kubernetes part of a topology runs beside the wires and nodes this package makes:
 * simulated ({@link SimulatedKubernetes}, the netns backend) or a real kind cluster
 * ({@link KindKubernetes}, the kind backend). One instance per topology.
 */
interface KubernetesPart {
    /** Before the nodes' daemons start (the simulated API server, which the roles' agents talk to). */
    default void beforeRoles(NetnsTopology topo, Path home) {
    }

    /** Once every node runs and is wired: the cluster comes up and the topology's manifests are applied. */
    void afterRoles(NetnsTopology topo, Path home, Progress progress);

    /** kubectl against the cluster's API server. */
    Kubectl kubectl(NetnsTopology topo);

    /** One line on how Kubernetes runs and how to reach it. */
    String summary(NetnsTopology topo);
}
