package dev.loxiharness.harness.netns;

import dev.loxiharness.harness.backend.Kubectl;
import dev.loxiharness.harness.backend.Node;
import dev.loxiharness.harness.backend.RunningTopology;
import dev.loxiharness.harness.kube.KubeAgent;
import dev.loxiharness.harness.model.Topology;
import dev.loxiharness.harness.state.StateDir;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** A topology that is up on the netns backend: its nodes, its simulated API server, its state folder. */
final class NetnsTopology implements RunningTopology {
    private final Topology topology;
    private final StateDir state;
    private final Map<String, Node> nodes = new LinkedHashMap<>();

    NetnsTopology(Topology topology, StateDir state, Path home) {
        this.topology = topology;
        this.state = state;
        topology.nodes().forEach((name, spec) -> nodes.put(name,
                new NamespaceNode(name, spec, NetnsBackend.namespace(topology.name(), name), state, home)));
    }

    @Override
    public Topology topology() {
        return topology;
    }

    @Override
    public String backend() {
        return NetnsBackend.NAME;
    }

    @Override
    public StateDir state() {
        return state;
    }

    @Override
    public Map<String, Node> nodes() {
        return Collections.unmodifiableMap(nodes);
    }

    @Override
    public Kubectl kubectl() {
        if (topology.kubernetes() == null) {
            throw new IllegalStateException("topology " + topology.name() + " has no kubernetes: section");
        }
        return Kubectl.withKubeconfig(KubeAgent.kubeconfig(state));
    }

    @Override
    public Optional<String> kubernetesSummary() {
        return topology.kubernetes() == null ? Optional.empty() : Optional.of("kubernetes: simulated (netns backend); "
                + "./topology kubectl get svc   or   export KUBECONFIG=" + KubeAgent.kubeconfig(state));
    }

    @Override
    public void down() {
        NetnsBackend.remove(state);
    }
}
