package dev.loxiharness.harness.kube;

import dev.loxiharness.harness.backend.Node;
import dev.loxiharness.harness.model.Topology;
import dev.loxiharness.harness.roles.CalicoNodeRole;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * calico-node's reaction to {@code projectcalico.org/v3} BGPPeers: each node's BIRD is re-rendered
 * with the global peers (and those naming the node in {@code spec.node}) and reloaded.
 */
final class CalicoNode {
    private static final Logger LOG = LoggerFactory.getLogger(CalicoNode.class);
    private final Topology topology;
    private final Map<String, Node> handles;
    private final List<String> nodes;
    private final Map<String, List<CalicoNodeRole.Peer>> applied = new HashMap<>();

    CalicoNode(Topology topology, Map<String, Node> handles, List<String> nodes) {
        this.topology = topology;
        this.handles = handles;
        this.nodes = nodes;
        nodes.forEach(n -> applied.put(n, List.of()));
    }

    void reconcile(ClusterView view) {
        for (String node : nodes) {
            List<CalicoNodeRole.Peer> peers = new ArrayList<>();
            for (GenericKubernetesResource r : view.bgpPeers()) {
                @SuppressWarnings("unchecked")
                Map<String, Object> spec = (Map<String, Object>) r.getAdditionalProperties().getOrDefault("spec", Map.of());
                CalicoNodeRole.Peer.of(node, r.getMetadata().getName(), spec).ifPresent(peers::add);
            }
            if (!peers.equals(applied.get(node))) {
                CalicoNodeRole.reconfigure(handles.get(node), topology, peers);
                applied.put(node, peers);
                LOG.info("calico-node {}: BGP peers now {}", node, peers.stream().map(p -> p.address() + " AS " + p.as()).toList());
            }
        }
    }
}
