package dev.loxiharness.harness.roles;

import dev.loxiharness.harness.model.Cidr;
import dev.loxiharness.harness.model.Manifests;
import dev.loxiharness.harness.model.Topology;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The BGP sessions a topology should have, from what each speaker is configured with: a router's
 * {@code bgp.neighbors} (BIRD), loxilb's gobgpd config (only with {@code -b}), and calico-node's
 * mesh plus the BGPPeers of the manifests, read by the same functions the running calico-node uses.
 * A session comes up only when both ends name each other with matching AS numbers, so one-sided
 * neighbours (node2 towards loxilb in the seed) are told apart from expected sessions.
 */
public final class BgpSessions {
    private static final String GOBGPD = "gobgpd";

    /** One configured neighbour: {@code node} (AS {@code as}, from {@code local}) towards {@code address} AS {@code peerAs}. */
    public record Neighbor(String node, long as, String local, String address, long peerAs, String how) {
        String end() {
            return node + " " + local + " AS " + as + " (" + how + ")";
        }

        /** Whether the speaker is loxilb's gobgpd (asked with {@code gobgp}) rather than a BIRD (asked with {@code birdc}). */
        public boolean gobgpd() {
            return how.equals(GOBGPD);
        }
    }

    /** A neighbour and, if the node at its address names it back, that node's neighbour entry. */
    public record Session(Neighbor from, String peerNode, Neighbor back) {
        /** Whether both ends name each other with each other's AS: the session is expected to establish. */
        public boolean expected() {
            return back != null && back.as() == from.peerAs() && back.peerAs() == from.as();
        }

        public String line() {
            String kind = from.as() == from.peerAs() ? "iBGP" : "eBGP";
            if (back == null) {
                return from.end() + " -> " + from.address() + " AS " + from.peerAs() + ": " + kind + ", "
                        + (peerNode == null ? "no node of the topology has " + from.address()
                        : peerNode + " has no neighbour " + from.local()) + ": not expected to establish";
            }
            String both = from.end() + " <-> " + back.end() + ": " + kind + ", ";
            return both + (expected() ? "configured on both ends: expected Established"
                    : "AS numbers disagree (" + from.node() + " expects " + from.peerAs() + ", " + back.node() + " expects "
                    + back.peerAs() + "): not expected to establish");
        }
    }

    private BgpSessions() {
    }

    /** Every configured neighbour of every speaker of {@code t}, in file order. */
    public static List<Neighbor> neighbors(Topology t) {
        List<Manifests.KubeObject> bgpPeers = Manifests.objects(t).stream().filter(o -> o.kind().equals("BGPPeer")).toList();
        List<Neighbor> out = new ArrayList<>();
        t.nodes().forEach((name, node) -> {
            if (node.has("router") && node.bgp() != null) {
                node.bgp().neighbors().forEach(n -> out.add(neighbor(name, node, node.bgp().as(), n.address(), n.as(), "BIRD")));
            }
            Topology.Loxilb l = node.loxilb();
            if (node.has("loxilb") && l != null && l.bgp() && l.gobgpAs().isPresent()) {
                l.gobgpNeighbors().forEach(n -> out.add(neighbor(name, node, l.gobgpAs().getAsLong(), n.address(), n.as(), GOBGPD)));
            }
            if (node.has("calico-node") && t.kubernetes() != null) {
                long as = CalicoNodeRole.as(t);
                CalicoNodeRole.meshPeers(node, t).forEach(p -> out.add(new Neighbor(name, as, node.primaryAddress(), p, as,
                        "BIRD, Calico mesh")));
                for (Manifests.KubeObject o : bgpPeers) {
                    CalicoNodeRole.Peer.of(name, o.name(), Manifests.toMap(o.tree().path("spec"))).ifPresent(p -> out.add(new Neighbor(name, as, node.primaryAddress(),
                            p.address(), p.as(), "BIRD, Calico BGPPeer " + p.name())));
                }
            }
        });
        return out;
    }

    /** The sessions of {@code t}: each pair that names each other once, each one-sided neighbour on its own. */
    public static List<Session> sessions(Topology t) {
        List<Neighbor> all = neighbors(t);
        Map<String, String> owner = t.addressOwners();
        List<Session> out = new ArrayList<>();
        Set<Neighbor> told = new HashSet<>();
        for (Neighbor n : all) {
            if (told.contains(n)) {
                continue;
            }
            String peerNode = owner.get(n.address());
            Optional<Neighbor> back = all.stream().filter(b -> b.node().equals(peerNode) && b.address().equals(n.local())).findFirst();
            back.ifPresent(told::add);
            out.add(new Session(n, peerNode, back.orElse(null)));
        }
        return out;
    }

    /** A neighbour from the address on the subnet shared with the peer (the kernel's choice of source), else the node's first. */
    private static Neighbor neighbor(String name, Topology.Node node, long as, String address, long peerAs, String how) {
        Cidr peer = Cidr.parse(address);
        String local = node.interfaces().stream().filter(i -> Cidr.parse(i.address()).contains(peer)).map(Topology.Interface::ip)
                .findFirst().orElse(node.primaryAddress());
        return new Neighbor(name, as, local, address, peerAs, how);
    }
}
