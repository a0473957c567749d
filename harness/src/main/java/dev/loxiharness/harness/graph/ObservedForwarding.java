package dev.loxiharness.harness.graph;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loxiharness.harness.graph.Diagram.Hop;
import dev.loxiharness.harness.graph.Diagram.Pod;
import dev.loxiharness.harness.graph.Diagram.Vip;
import dev.loxiharness.harness.model.Topology;
import dev.loxiharness.harness.probe.Route;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Where a packet to a VIP goes in the running topology, from what was {@link Observed}: the VIPs
 * are loxilb's rules; clients and routers follow their kernel's route (the longest prefix holding
 * the VIP: a BGP-learnt /32, a static route, the default); loxilb sends to its rule's endpoints;
 * a node's kube-proxy to the Service's ready endpoints. Each place a packet would stop says why.
 */
final class ObservedForwarding implements PacketPaths.Forwarding {
    private static final String SERVICE_LABEL = "kubernetes.io/service-name";

    private final Topology t;
    private final Observed seen;

    ObservedForwarding(Topology t, Observed seen) {
        this.t = t;
        this.seen = seen;
    }

    /** Every VIP a loxilb has a rule for, and every LoadBalancer Service's ingress (so a VIP whose loxilb is gone still shows). */
    @Override
    public List<Vip> vips() {
        TreeSet<Vip> out = new TreeSet<>(Comparator.comparing(Vip::ip).thenComparing(Vip::port).thenComparing(Vip::protocol));
        for (JsonNode s : items("Service")) {
            for (JsonNode in : s.path("status").path("loadBalancer").path("ingress")) {
                for (JsonNode p : s.path("spec").path("ports")) {
                    out.add(new Vip(in.path("ip").asText(), p.path("port").asInt(), p.path("protocol").asText("TCP").toLowerCase(Locale.ROOT),
                            serviceName(s)));
                }
            }
        }
        seen.rules.values().stream().filter(Observed.Reading::ok).forEach(r -> {
            for (JsonNode rule : r.value()) {
                JsonNode a = rule.path("serviceArguments");
                String ip = a.path("externalIP").asText();
                int port = a.path("port").asInt();
                out.add(new Vip(ip, port, a.path("protocol").asText("tcp").toLowerCase(Locale.ROOT),
                        service(ip, port).map(ObservedForwarding::serviceName).orElse(null)));
            }
        });
        return List.copyOf(out);
    }

    private static String serviceName(JsonNode service) {
        return service.path("metadata").path("namespace").asText() + "/" + service.path("metadata").path("name").asText();
    }

    @Override
    public List<Pod> pods() {
        Map<String, Pod> out = new LinkedHashMap<>();
        for (JsonNode slice : items("EndpointSlice")) {
            for (JsonNode e : slice.path("endpoints")) {
                Pod p = pod(slice, e);
                out.putIfAbsent(p.id(), p);
            }
        }
        return List.copyOf(out.values());
    }

    @Override
    public List<Hop> next(String node, Vip vip) {
        Topology.Node spec = t.nodes().get(node);
        if (spec.has("loxilb")) {
            return loxilb(node, vip);
        }
        if (spec.has("kube-proxy")) {
            return kubeProxy(node, vip);
        }
        Observed.Reading<List<Route>> routes = seen.routes.get(node);
        if (routes == null || !routes.ok()) {
            return List.of(new Hop(node, null, "ip route: " + (routes == null ? "no answer" : routes.error())));
        }
        Optional<Route> best = PacketPaths.longestMatch(routes.value(), Route::dst, vip.ip());
        if (best.isEmpty()) {
            return List.of(new Hop(node, null, "no route to " + vip.ip()));
        }
        Route r = best.get();
        String type = r.raw().path("type").asText("unicast");
        if (!type.equals("unicast")) {
            return List.of(new Hop(node, null, type + " route " + r.dst()));
        }
        if (r.gateway().isEmpty()) {
            return List.of(new Hop(node, null, r.dst() + " is on-link (dev " + r.dev() + "): no node has " + vip.ip()));
        }
        List<Hop> out = new ArrayList<>();
        for (String gw : r.gateway().split(",")) {
            out.add(PacketPaths.toOwner(t, node, gw, "route " + r.dst() + " via " + gw + " proto " + r.protocol()));
        }
        return out;
    }

    private List<Hop> loxilb(String node, Vip vip) {
        Observed.Reading<JsonNode> rules = seen.rules.get(node);
        if (rules == null || !rules.ok()) {
            return List.of(new Hop(node, null, "loxilb API: " + (rules == null ? "no answer" : rules.error())));
        }
        for (JsonNode rule : rules.value()) {
            JsonNode a = rule.path("serviceArguments");
            if (a.path("externalIP").asText().equals(vip.ip()) && a.path("port").asInt() == vip.port()
                    && a.path("protocol").asText("tcp").equalsIgnoreCase(vip.protocol())) {
                List<Hop> out = new ArrayList<>();
                for (JsonNode e : rule.path("endpoints")) {
                    String ip = e.path("endpointIP").asText();
                    String state = e.path("state").asText("");
                    out.add(PacketPaths.toOwner(t, node, ip, "DNAT to " + ip + ":" + e.path("targetPort").asInt()
                            + (state.isEmpty() || state.equals("active") ? "" : " (" + state + ")")));
                }
                return out.isEmpty() ? List.of(new Hop(node, null, "rule " + vip.ip() + ":" + vip.port() + " has no endpoints")) : out;
            }
        }
        return List.of(new Hop(node, null, "no rule for " + vip.ip() + ":" + vip.port()));
    }

    private List<Hop> kubeProxy(String node, Vip vip) {
        Observed.Reading<JsonNode> kube = seen.kubernetes();
        if (!kube.ok()) {
            return List.of(new Hop(node, null, "kubectl: " + kube.error()));
        }
        if (vip.service() == null) {
            return List.of(new Hop(node, null, "no Service has " + vip.ip() + ":" + vip.port()));
        }
        String[] ns = vip.service().split("/", 2);
        List<Hop> out = new ArrayList<>();
        for (JsonNode slice : items("EndpointSlice")) {
            if (!slice.path("metadata").path("namespace").asText().equals(ns[0])
                    || !slice.path("metadata").path("labels").path(SERVICE_LABEL).asText().equals(ns[1])) {
                continue;
            }
            int port = slice.path("ports").path(0).path("port").asInt();
            for (JsonNode e : slice.path("endpoints")) {
                if (e.path("conditions").path("ready").asBoolean(true)) {
                    Pod p = pod(slice, e);
                    out.add(new Hop(node, p.id(), "kube-proxy DNAT to " + p.ip() + ":" + port));
                }
            }
        }
        return out.isEmpty() ? List.of(new Hop(node, null, "no ready endpoint of " + vip.service())) : out;
    }

    /** The Service whose load-balancer ingress is {@code ip} with a port {@code port}. */
    private Optional<JsonNode> service(String ip, int port) {
        for (JsonNode s : items("Service")) {
            boolean hasIp = false;
            for (JsonNode in : s.path("status").path("loadBalancer").path("ingress")) {
                hasIp |= in.path("ip").asText().equals(ip);
            }
            boolean hasPort = false;
            for (JsonNode p : s.path("spec").path("ports")) {
                hasPort |= p.path("port").asInt() == port;
            }
            if (hasIp && hasPort) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    private List<JsonNode> items(String kind) {
        Observed.Reading<JsonNode> kube = seen.kubernetes();
        List<JsonNode> out = new ArrayList<>();
        if (kube.ok()) {
            kube.value().path("items").forEach(i -> {
                if (i.path("kind").asText().equals(kind)) {
                    out.add(i);
                }
            });
        }
        return out;
    }

    private static Pod pod(JsonNode slice, JsonNode endpoint) {
        JsonNode ref = endpoint.path("targetRef");
        String ns = ref.path("namespace").asText(slice.path("metadata").path("namespace").asText());
        String ip = endpoint.path("addresses").path(0).asText();
        String name = ref.path("name").asText(ip);
        return new Pod(PacketPaths.podId(ns, name), endpoint.path("nodeName").asText(null), ip);
    }
}
