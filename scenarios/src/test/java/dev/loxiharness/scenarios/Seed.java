package dev.loxiharness.scenarios;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loxiharness.harness.model.Topology;
import dev.loxiharness.junit.TopologyHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.ThrowingRunnable;

/** The seed document's facts (shared/seed, design section 2) that the scenarios check. */
final class Seed {
    static final String VIP = "123.123.123.15";
    static final int PORT = 8888;
    static final String URL = "http://" + VIP + ":" + PORT + "/";
    static final String SERVICE = "nginx-service";
    static final String MANIFEST = "test-nginx-svc.yaml";
    /** {@code loxicmd get lb --legacy}, byte for byte as in the seed document. */
    static final String LOXICMD_ROW = "| 123.123.123.15 | 8888 | tcp      |      0 |              2 |";

    static final String LB = "lb";
    static final String ROUTER = "router";
    static final String CLIENT = "client";
    static final String NODE1 = "node1";
    static final String CLIENT_IP = "198.51.100.10";
    static final String LB_K8SNET = "192.168.57.4";
    static final String LB_LLBNET = "192.168.20.4";
    static final String ROUTER_IP = "192.168.20.55";
    static final String NODE1_IP = "192.168.57.101";
    static final List<String> NODE_IPS = List.of("192.168.57.101", "192.168.57.102");
    static final long CALICO_AS = 64512;
    static final long ROUTER_AS = 64001;
    static final List<String> POD_BLOCKS = List.of("10.233.71.0/26", "10.233.74.64/26", "10.233.75.0/26", "10.233.102.128/26");

    /** BGP converges in about a second with the topologies' timers; the budgets leave room for a slow machine. */
    static final Duration CONVERGE = Duration.ofSeconds(30);

    private Seed() {
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

    /** Whether loxilb runs in BGP mode here (seed.yaml: yes; seed-l2.yaml: no). */
    static boolean bgp(TopologyHandle topo) {
        return bgp(topo.topology());
    }

    static boolean bgp(Topology topology) {
        Topology.Node lb = topology.nodes().get(LB);
        return lb != null && lb.loxilb() != null && lb.loxilb().gobgpConfig() != null;
    }

    static JsonNode service(TopologyHandle topo) {
        return topo.kubectlJson("get", "service", SERVICE);
    }

    static int nodePort(TopologyHandle topo) {
        return service(topo).at("/spec/ports/0/nodePort").asInt();
    }

    /**
     * The services in loxilb's nftables data plane: the keys of the verdict map {@code svcs} of table
     * {@code ip loxilb} ({@code nft -j list ruleset}), as {@code 123.123.123.15 . tcp . 8888}.
     */
    static List<String> nftServices(TopologyHandle topo) {
        List<String> keys = new ArrayList<>();
        for (JsonNode o : topo.nftRuleset(LB)) {
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
    static JsonNode loxilbRules(TopologyHandle topo) {
        String out = topo.loxicmd(LB, "get", "lb", "-o", "json").stdout();
        try {
            return new ObjectMapper().readTree(out).path("lbAttr");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("loxicmd get lb -o json printed: " + out, e);
        }
    }
}
