package dev.loxiharness.scenarios;

import static dev.loxiharness.scenarios.Seed.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.loxiharness.harness.fault.FaultRecord;
import dev.loxiharness.harness.probe.BgpNeighbor;
import dev.loxiharness.harness.probe.BgpPath;
import dev.loxiharness.junit.Topology;
import dev.loxiharness.junit.TopologyHandle;
import io.qameta.allure.Allure;
import io.qameta.allure.Feature;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The seed under faults (issue [ha-faults]): the controller restarted keeps the EXTERNAL-IP and
 * loxilb's rule as they were (no delete and re-create); Calico node1's BIRD frozen loses its
 * session with loxilb within BGP's hold time (9 s) and loxilb withdraws its pod blocks, which come
 * back when it is thawed; the router's BIRD restarted learns the VIP again and the client is served.
 * Each recovery time is attached to the report.
 */
@Topology("seed.yaml")
@Feature("faults on the seed")
@DisplayName("Faults on the seed: controller, Calico's BIRD, the router's BIRD")
class SeedFaultsScenario {
    static TopologyHandle topo;
    static Seed seed;

    @BeforeAll
    static void readTheSeedFromTheTopology() {
        seed = Seed.of(topo);
        eventually("the seed is green before the faults", Duration.ofSeconds(60), () ->
                assertThat(topo.http(seed.client(), seed.url()).status()).isEqualTo(200));
    }

    /** The VIP's element of loxilb's map svcs: its key and the rule's id (the packet mark). */
    private static String ruleElement() {
        return topo.exec(seed.lb(), "nft", "list", "map", "ip", "loxilb", "svcs").stdout().lines()
                .filter(l -> l.contains(seed.vip())).findFirst().orElse("").strip();
    }

    private static void attach(FaultRecord fault, long t0, String what) {
        String line = String.format("%s%n%s after %.0f ms%n", fault.line(), what, (System.nanoTime() - t0) / 1e6);
        Allure.addAttachment("recovery", "text/plain", line);
        System.out.print(line);
    }

    @Test
    @DisplayName("the controller restarted: the same EXTERNAL-IP and the same loxilb rule (no delete and re-create)")
    void controllerRestartKeepsTheAddressAndTheRule() {
        String ip = topo.kubectlJson("get", "service", seed.service()).at("/status/loadBalancer/ingress/0/ip").asText();
        String rule = ruleElement();
        assertThat(rule).as("loxilb's rule for the VIP").containsPattern(" : 0x[0-9a-f]{8}");
        long t0 = System.nanoTime();
        FaultRecord fault = topo.fault(seed.node1()).restart("controller");
        // the restarted controller resyncs the Service: writing the same rule again is a no-op for loxilb
        eventually("the restarted controller has resynced: curl " + seed.url() + " answers 200", () ->
                assertThat(topo.http(seed.client(), seed.url()).status()).isEqualTo(200));
        attach(fault, t0, "served");
        assertThat(topo.kubectlJson("get", "service", seed.service()).at("/status/loadBalancer/ingress/0/ip").asText())
                .as("EXTERNAL-IP after the restart").isEqualTo(ip);
        assertThat(ruleElement()).as("loxilb's rule (its id) after the restart").isEqualTo(rule);
    }

    @Test
    @DisplayName("Calico node1's BIRD frozen: loxilb drops the session within the hold time and withdraws the pod blocks; thawed: both back")
    void calicosBirdFrozenIsGivenUpWithinTheHoldTime() {
        long t0 = System.nanoTime();
        FaultRecord fault = topo.fault(seed.node1()).stop("bird");
        try {
            eventually("gobgp neighbor on lb: " + seed.node1Ip() + " no longer Established", () ->
                    assertThat(topo.bgpNeighbors(seed.lb())).filteredOn(n -> n.address().equals(seed.node1Ip()))
                            .extracting(BgpNeighbor::state).doesNotContain("ESTABLISHED"));
            eventually("gobgp global rib on lb: node1's pod blocks withdrawn", () ->
                    assertThat(BgpPath.best(topo.bgpRib(seed.lb()))).extracting(BgpPath::prefix)
                            .doesNotContainAnyElementsOf(seed.podBlocks()));
            attach(fault, t0, "session down and pod blocks withdrawn");
        } finally {
            topo.fault(seed.node1()).start("bird");
        }
        long t1 = System.nanoTime();
        eventually("gobgp global rib on lb: the pod blocks back", () ->
                assertThat(BgpPath.best(topo.bgpRib(seed.lb()))).extracting(BgpPath::prefix).containsAll(seed.podBlocks()));
        System.out.printf("thawed: pod blocks back after %.0f ms%n", (System.nanoTime() - t1) / 1e6);
    }

    @Test
    @DisplayName("the router's BIRD restarted: it learns the VIP again and the client is served")
    void routersBirdRestartedLearnsTheVipAgain() {
        long t0 = System.nanoTime();
        FaultRecord fault = topo.fault(seed.router()).restart("bird");
        eventually("ip route on router: the VIP via loxilb again", () ->
                assertThat(topo.routes(seed.router(), seed.vip() + "/32")).as("routes to the VIP on router").isNotEmpty());
        eventually("curl " + seed.url() + " from the client answers 200", () ->
                assertThat(topo.http(seed.client(), seed.url()).status()).isEqualTo(200));
        attach(fault, t0, "VIP route back and the client served");
    }
}
