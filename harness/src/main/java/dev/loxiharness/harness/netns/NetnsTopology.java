package dev.loxiharness.harness.netns;

import dev.loxiharness.harness.backend.Daemon;
import dev.loxiharness.harness.backend.Kubectl;
import dev.loxiharness.harness.backend.Node;
import dev.loxiharness.harness.backend.RunningTopology;
import dev.loxiharness.harness.docker.Containers;
import dev.loxiharness.harness.model.Topology;
import dev.loxiharness.harness.state.StateDir;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** A topology that is up on the netns (or kind) backend: its nodes, its Kubernetes part, its state folder. */
final class NetnsTopology implements RunningTopology {
    private final Topology topology;
    private final StateDir state;
    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private final Fabric fabric;
    private final String backend;
    private final KubernetesPart kubernetes;

    NetnsTopology(Topology topology, StateDir state, Path home, String backend, KubernetesPart kubernetes) {
        this.topology = topology;
        this.state = state;
        this.backend = backend;
        this.kubernetes = kubernetes;
        this.fabric = new Fabric(topology, state);
        topology.nodes().forEach((name, spec) -> {
            String ns = NetnsBackend.namespace(topology.name(), name);
            nodes.put(name, spec.isContainer() ? new ContainerNode(name, spec, topology.name(), ns, state, home, fabric)
                    : new NamespaceNode(name, spec, ns, state, home));
        });
    }

    KubernetesPart kubernetes() {
        return kubernetes;
    }

    Fabric fabric() {
        return fabric;
    }

    /** The container nodes, in the order of the topology file. */
    List<ContainerNode> containers() {
        return nodes.values().stream().filter(ContainerNode.class::isInstance).map(ContainerNode.class::cast).toList();
    }

    @Override
    public void snapshotLogs() {
        for (ContainerNode c : containers()) {
            try {
                Files.writeString(state.file(c.name() + ".container.log"), Containers.logs(c.container(), 2000) + "\n");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Override
    public Topology topology() {
        return topology;
    }

    @Override
    public String backend() {
        return backend;
    }

    @Override
    public StateDir state() {
        return state;
    }

    @Override
    public Map<String, Node> nodes() {
        return Collections.unmodifiableMap(nodes);
    }

    /**
     * The nodes, then the pods of the simulated kubelet, as {@code pod/NAMESPACE/NAME}: each is a
     * namespace of its own with the nginx process the ledger records as {@code pod NS/NAME@UID nginx}.
     * The kubelet does not restart a killed nginx (no restart policy is simulated); a fault's start
     * or restart does, recorded in the ledger for {@code down}.
     */
    @Override
    public Map<String, List<Daemon>> faultTargets() {
        Map<String, List<Daemon>> out = RunningTopology.super.faultTargets();
        for (StateDir.ProcessRecord r : state.ledger().processes) {
            if (r.what().startsWith("pod ")) {
                String key = r.what().substring(4, r.what().lastIndexOf(' '));
                out.put("pod/" + key.replaceFirst("@.*", ""), NamespaceNode.recorded(state, r.namespace(), "pod " + key + " "));
            }
        }
        return out;
    }

    @Override
    public Kubectl kubectl() {
        if (topology.kubernetes() == null) {
            throw new IllegalStateException("topology " + topology.name() + " has no kubernetes: section");
        }
        return kubernetes.kubectl(this);
    }

    @Override
    public Optional<String> kubernetesSummary() {
        return topology.kubernetes() == null ? Optional.empty() : Optional.of(kubernetes.summary(this));
    }

    @Override
    public void down() {
        NetnsBackend.remove(state);
    }
}
