package dev.loxiharness.harness.roles;

import dev.loxiharness.harness.backend.Node;
import dev.loxiharness.harness.model.Cidr;
import dev.loxiharness.harness.model.Topology;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Calico's BGP behaviour on a node, rendered as BIRD the way calico-node's confd does: the node's
 * IPAM blocks as blackhole routes, a full iBGP mesh between nodes, global BGPPeers, only pool
 * routes exported, next hop self towards peers. Re-rendered when BGPPeers change.
 */
public final class CalicoNodeRole extends NamedRole {
    /** A global BGPPeer ({@code projectcalico.org/v3}): every node peers with it. */
    public record Peer(String name, String address, long as) {
        /**
         * The peer that BGPPeer {@code name} with this {@code spec} gives {@code node}, as calico-node
         * reads it: {@code peerIP} (a port after it dropped), {@code asNumber}, and {@code node} if it
         * names one node only. Empty when it names another node or lacks a field. One function, so the
         * simulated calico-node and {@code ./topology plan} cannot disagree about who peers with whom.
         */
        public static Optional<Peer> of(String node, String name, Map<String, ?> spec) {
            Object ip = spec.get("peerIP");
            Object as = spec.get("asNumber");
            Object only = spec.get("node");
            if (ip == null || as == null || (only != null && !only.equals(node))) {
                return Optional.empty();
            }
            return Optional.of(new Peer(name, ip.toString().replaceFirst(":\\d+$", ""), Long.parseLong(as.toString())));
        }
    }

    public CalicoNodeRole() {
        super("calico-node", true);
    }

    @Override
    public void start(Node node, Topology topology) {
        Bird.start(node, config(node.spec(), topology, List.of()));
    }

    /** Calico's AS number in {@code t} (the cluster's, 64512 when the file gives none). */
    public static long as(Topology t) {
        return t.kubernetes().calico().asNumber();
    }

    /** The addresses {@code node} meshes with: every other calico-node's, unless the file turns the node-to-node mesh off. */
    public static List<String> meshPeers(Topology.Node node, Topology t) {
        Topology.CalicoCluster c = t.kubernetes().calico();
        if (c != null && !c.nodeToNodeMesh()) {
            return List.of();
        }
        String self = node.primaryAddress();
        return t.nodes().values().stream().filter(n -> n.has("calico-node")).map(Topology.Node::primaryAddress)
                .filter(peer -> !peer.equals(self)).toList();
    }

    /** BIRD's config for {@code node} of {@code t} with these global peers. */
    public static String config(Topology.Node node, Topology t, List<Peer> peers) {
        Topology.Kubernetes k = t.kubernetes();
        long as = as(t);
        String self = node.primaryAddress();
        Cidr pool = Cidr.parse(k.podCidr());
        StringBuilder s = new StringBuilder();
        s.append("log stderr all;\n");
        s.append("router id ").append(self).append(";\n");
        s.append("protocol device {}\n");
        s.append("protocol kernel { ipv4 { import none; export where source = RTS_BGP; }; merge paths on; }\n");
        List<String> blocks = node.calico() == null ? List.of() : node.calico().blocks();
        if (!blocks.isEmpty()) {
            s.append("protocol static { ipv4;");
            blocks.forEach(b -> s.append(" route ").append(b).append(" blackhole;"));
            s.append(" }\n");
        }
        s.append("filter calico_pools { if net ~ [ ").append(pool).append("{").append(k.blockSize()).append(",")
                .append(k.blockSize()).append("} ] then accept; reject; }\n");
        s.append("template bgp calico { local ").append(self).append(" as ").append(as).append("; ")
                .append(Bird.FAST_TIMERS).append(" }\n");
        for (String peer : meshPeers(node, t)) {
            s.append("protocol bgp ").append(Bird.protocolName("Mesh", peer)).append(" from calico { neighbor ")
                    .append(peer).append(" as ").append(as)
                    .append("; direct; ipv4 { import all; export filter calico_pools; next hop self; gateway direct; }; }\n");
        }
        for (Peer p : peers) {
            s.append("protocol bgp ").append(Bird.protocolName("Global", p.address())).append(" from calico { neighbor ")
                    .append(p.address()).append(" as ").append(p.as()).append(";")
                    .append(p.as() == as ? " direct;" : "")
                    .append(" ipv4 { import all; export filter calico_pools; next hop self; }; }\n");
        }
        return s.toString();
    }

    public static void reconfigure(Node node, Topology topology, List<Peer> peers) {
        Bird.reconfigure(node, config(node.spec(), topology, peers));
    }
}
