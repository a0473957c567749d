package dev.loxiharness.scenarios;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loxiharness.harness.model.Cidr;
import dev.loxiharness.harness.model.Manifests;
import dev.loxiharness.harness.model.Topology;
import dev.loxiharness.harness.probe.Loxicmd;
import dev.loxiharness.junit.TopologyHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.ThrowingRunnable;

/**
 * The seed document's facts as the selected topology file states them (seed.yaml: loxilb at
 * 192.168.57.4, the VIP 123.123.123.15:8888, Calico AS 64512, ...): the scenarios read them from the
 * model, never from a copy, so they run unchanged on another topology that says other numbers.
 * On a real cluster (backend kind) Calico picks its blocks and nginx is the stock image: the file
 * names no blocks ({@code podBlocks} empty, so the pod CIDR stands for them) and
 * {@code simulatedPods} is false (no {@code /ip} page that echoes the source address).
 */
record Seed(String lb, String router, String client, String node1,
            String vip, int port, String service, String manifest, String loxicmdRow,
            String clientIp, String lbOnNodes, String lbOnRouter, String routerIp, String node1Ip,
            List<String> nodeIps, long calicoAs, long routerAs, List<String> podBlocks, String podCidr, boolean bgp,
            boolean simulatedPods) {

    /** BGP converges in about a second with the topologies' timers; the budgets leave room for a slow machine. */
    static final Duration CONVERGE = Duration.ofSeconds(30);

    String url() {
        return "http://" + vip + ":" + port + "/";
    }

    static Seed of(TopologyHandle topo) {
        return of(topo.topology());
    }

    static Seed of(Topology t) {
        String lb = withRole(t, "loxilb");
        String router = withRole(t, "router");
        String client = withRole(t, "client");
        Topology.Node lbNode = t.nodes().get(lb);
        Topology.Node routerNode = t.nodes().get(router);
        List<Topology.Neighbor> neighbors = lbNode.loxilb() == null ? List.of() : lbNode.loxilb().gobgpNeighbors();
        List<String> kubeNodes = t.nodes().entrySet().stream().filter(e -> e.getValue().has("kube-proxy")).map(Map.Entry::getKey).toList();
        // the Calico node loxilb peers with (the seed's node1), else the controller's node
        String node1 = kubeNodes.stream().filter(n -> neighbors.stream().anyMatch(x -> x.address().equals(t.nodes().get(n).primaryAddress())))
                .findFirst().orElse(t.loadBalancer().controller().node());
        Topology.Check svc = check(t, "service");
        String[] nsName = svc.service().split("/");
        String routerNet = sharedNetwork(routerNode, lbNode);
        List<String> blocks = new ArrayList<>();
        kubeNodes.forEach(n -> Optional.ofNullable(t.nodes().get(n).calico()).ifPresent(c -> blocks.addAll(c.blocks())));
        return new Seed(lb, router, client, node1,
                Cidr.ip(Cidr.parse(t.loadBalancer().controller().externalCidr()).address()),
                Integer.parseInt(svc.ports().split(":")[0]), nsName[1], manifestOf(t, nsName[1]), check(t, "loxicmd-lb").row(),
                t.nodes().get(client).primaryAddress(), addressOn(lbNode, sharedNetwork(t.nodes().get(node1), lbNode)),
                addressOn(lbNode, routerNet), addressOn(routerNode, routerNet), t.nodes().get(node1).primaryAddress(),
                kubeNodes.stream().map(n -> t.nodes().get(n).primaryAddress()).toList(),
                t.kubernetes().calico().asNumber(), routerNode.bgp() == null ? 0 : routerNode.bgp().as(), List.copyOf(blocks),
                t.kubernetes().podCidr(), lbNode.loxilb() != null && lbNode.loxilb().gobgpConfig() != null,
                !"kind".equals(t.backend()));
    }

    private static String withRole(Topology t, String role) {
        return t.nodes().entrySet().stream().filter(e -> e.getValue().has(role)).map(Map.Entry::getKey).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(t.name() + " has no node with role " + role));
    }

    private static Topology.Check check(Topology t, String type) {
        return t.checks().stream().filter(c -> c.type().equals(type)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(t.name() + " has no check of type " + type));
    }

    private static String sharedNetwork(Topology.Node a, Topology.Node b) {
        return a.interfaces().stream().map(Topology.Interface::network)
                .filter(n -> b.interfaces().stream().anyMatch(i -> i.network().equals(n))).findFirst().orElseThrow();
    }

    private static String addressOn(Topology.Node node, String network) {
        return node.interfaces().stream().filter(i -> i.network().equals(network)).map(Topology.Interface::ip).findFirst().orElseThrow();
    }

    /** The manifest that creates the Service (the seed's test-nginx-svc.yaml). */
    private static String manifestOf(Topology t, String service) {
        for (Topology.Manifest manifest : t.kubernetes().manifests()) {
            if (Manifests.read(t, manifest).stream().anyMatch(o -> o.kind().equals("Service") && o.name().equals(service))) {
                return manifest.file();
            }
        }
        throw new IllegalArgumentException(t.name() + ": no manifest creates Service " + service);
    }

    /**
     * Repeats {@code assertion} until it passes, within a named budget. On timeout the test fails (an
     * {@link AssertionError}, so the report counts it as failed, not broken) with the budget's name and
     * the last assertion's message, i.e. what was last seen; exceptions of the probes (a daemon not
     * answering yet) are retried too, and the last one is kept as the cause.
     */
    static void eventually(String what, Duration budget, ThrowingRunnable assertion) {
        try {
            await(what).atMost(budget).pollInterval(Duration.ofMillis(200)).ignoreExceptions().untilAsserted(assertion);
        } catch (ConditionTimeoutException e) {
            AssertionError failure = new AssertionError(e.getMessage(), e.getCause());
            failure.setStackTrace(e.getStackTrace());
            throw failure;
        }
    }

    static void eventually(String what, ThrowingRunnable assertion) {
        eventually(what, CONVERGE, assertion);
    }

    JsonNode serviceJson(TopologyHandle topo) {
        return topo.kubectlJson("get", "service", service);
    }

    int nodePort(TopologyHandle topo) {
        return serviceJson(topo).at("/spec/ports/0/nodePort").asInt();
    }

    /**
     * The services in loxilb's nftables data plane: the keys of the verdict map {@code svcs} of table
     * {@code ip loxilb} ({@code nft -j list ruleset}), as {@code 123.123.123.15 . tcp . 8888}.
     */
    List<String> nftServices(TopologyHandle topo) {
        List<String> keys = new ArrayList<>();
        for (JsonNode o : topo.nftRuleset(lb)) {
            JsonNode map = o.path("map");
            if (map.path("table").asText().equals("loxilb") && map.path("name").asText().equals("svcs")) {
                for (JsonNode elem : map.path("elem")) {
                    List<String> parts = new ArrayList<>();
                    elem.path(0).path("concat").forEach(p -> parts.add(p.asText()));
                    keys.add(String.join(" . ", parts));
                }
            }
        }
        return keys;
    }

    /** The rules of {@code loxicmd get lb -o json} ({@code lbAttr}). */
    JsonNode loxilbRules(TopologyHandle topo) {
        return Loxicmd.rules(topo.node(lb));
    }
}
