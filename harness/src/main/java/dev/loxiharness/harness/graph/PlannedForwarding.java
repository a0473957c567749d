package dev.loxiharness.harness.graph;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loxiharness.harness.graph.Diagram.Hop;
import dev.loxiharness.harness.graph.Diagram.Pod;
import dev.loxiharness.harness.graph.Diagram.Vip;
import dev.loxiharness.harness.model.Manifests;
import dev.loxiharness.harness.model.Topology;
import dev.loxiharness.harness.roles.BgpSessions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Where a packet to a VIP would go, from the file alone: the pool's first address for every
 * LoadBalancer Service of the manifests (the controller shares it while ports do not clash), routers
 * towards the loxilbs they peer with when the controller advertises VIPs ({@code setBGP}) or along
 * their static routes, loxilb to every Kubernetes node (NodePort, as the controller writes its
 * rules), each node to the pods the Service selects (kube-proxy), which run wherever the scheduler
 * puts them.
 */
final class PlannedForwarding implements PacketPaths.Forwarding {
    private final Topology t;
    private final List<Manifests.KubeObject> services;
    private final List<Manifests.KubeObject> pods;
    private final List<BgpSessions.Session> sessions;

    PlannedForwarding(Topology t) {
        this.t = t;
        List<Manifests.KubeObject> objects = Manifests.objects(t);
        this.services = objects.stream().filter(o -> o.kind().equals("Service")
                && o.tree().path("spec").path("type").asText().equals("LoadBalancer")).toList();
        this.pods = objects.stream().filter(o -> o.kind().equals("Pod")).toList();
        this.sessions = BgpSessions.sessions(t);
    }

    @Override
    public List<Vip> vips() {
        Optional<Topology.Controller> c = Optional.ofNullable(t.loadBalancer()).map(Topology.LoadBalancer::controller);
        if (t.kubernetes() == null || c.isEmpty() || c.get().externalCidr() == null) {
            return List.of();
        }
        String first = c.get().externalCidr().split("[/-]")[0].trim();
        List<Vip> out = new ArrayList<>();
        for (Manifests.KubeObject s : services) {
            for (JsonNode p : s.tree().path("spec").path("ports")) {
                out.add(new Vip(first, p.path("port").asInt(), p.path("protocol").asText("TCP").toLowerCase(Locale.ROOT),
                        s.namespace() + "/" + s.name()));
            }
        }
        return out;
    }

    @Override
    public List<Pod> pods() {
        return pods.stream().filter(p -> services.stream().anyMatch(s -> selects(s, p)))
                .map(p -> new Pod(PacketPaths.podId(p.namespace(), p.name()), p.tree().path("spec").path("nodeName").asText(null), null))
                .toList();
    }

    @Override
    public List<Hop> next(String node, Vip vip) {
        Topology.Node spec = t.nodes().get(node);
        if (spec.has("loxilb")) {
            List<Hop> out = t.nodes().entrySet().stream().filter(e -> e.getValue().has("kube-proxy"))
                    .map(e -> new Hop(node, e.getKey(), "DNAT to " + e.getValue().primaryAddress() + ":NodePort")).toList();
            return out.isEmpty() ? List.of(new Hop(node, null, "no Kubernetes node to send " + vip.ip() + " to")) : out;
        }
        if (spec.has("kube-proxy")) {
            Optional<Manifests.KubeObject> service = services.stream().filter(s -> (s.namespace() + "/" + s.name()).equals(vip.service()))
                    .findFirst();
            List<Hop> out = pods.stream().filter(p -> service.isPresent() && selects(service.get(), p))
                    .map(p -> new Hop(node, PacketPaths.podId(p.namespace(), p.name()), "kube-proxy DNAT to the pod")).toList();
            return out.isEmpty() ? List.of(new Hop(node, null, "no pod selected by " + vip.service())) : out;
        }
        List<Hop> bgp = bgpRoutes(node, vip);
        if (!bgp.isEmpty()) {
            return bgp;
        }
        return PacketPaths.longestMatch(spec.routes(), Topology.Route::to, vip.ip())
                .map(r -> List.of(PacketPaths.toOwner(t, node, r.via(), "route " + r.to() + " via " + r.via())))
                .orElse(List.of(new Hop(node, null, "no route to " + vip.ip())));
    }

    /** A router learns the VIP from each loxilb it has an expected session with, when the controller has loxilb advertise it. */
    private List<Hop> bgpRoutes(String node, Vip vip) {
        boolean advertised = t.loadBalancer() != null && t.loadBalancer().controller() != null && t.loadBalancer().controller().setBgp();
        if (!advertised || !t.nodes().get(node).has("router")) {
            return List.of();
        }
        List<Hop> out = new ArrayList<>();
        for (BgpSessions.Session s : sessions) {
            if (!s.expected()) {
                continue;
            }
            BgpSessions.Neighbor mine = s.from().node().equals(node) ? s.from() : s.back().node().equals(node) ? s.back() : null;
            BgpSessions.Neighbor theirs = mine == s.from() ? s.back() : s.from();
            if (mine != null && theirs.gobgpd() && t.nodes().get(theirs.node()).has("loxilb")) {
                out.add(new Hop(node, theirs.node(), "BGP route " + vip.ip() + "/32 via " + theirs.local()));
            }
        }
        return out;
    }

    private static boolean selects(Manifests.KubeObject service, Manifests.KubeObject pod) {
        Map<String, Object> selector = Manifests.toMap(service.tree().path("spec").path("selector"));
        Map<String, Object> labels = Manifests.toMap(pod.tree().path("metadata").path("labels"));
        return !selector.isEmpty() && service.namespace().equals(pod.namespace()) && labels.entrySet().containsAll(selector.entrySet());
    }
}
