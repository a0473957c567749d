package dev.loxiharness.scenarios;

import static dev.loxiharness.scenarios.Seed.CALICO_AS;
import static dev.loxiharness.scenarios.Seed.CLIENT;
import static dev.loxiharness.scenarios.Seed.LB;
import static dev.loxiharness.scenarios.Seed.LB_K8SNET;
import static dev.loxiharness.scenarios.Seed.LB_LLBNET;
import static dev.loxiharness.scenarios.Seed.NODE1;
import static dev.loxiharness.scenarios.Seed.NODE1_IP;
import static dev.loxiharness.scenarios.Seed.NODE_IPS;
import static dev.loxiharness.scenarios.Seed.POD_BLOCKS;
import static dev.loxiharness.scenarios.Seed.ROUTER;
import static dev.loxiharness.scenarios.Seed.ROUTER_AS;
import static dev.loxiharness.scenarios.Seed.ROUTER_IP;
import static dev.loxiharness.scenarios.Seed.URL;
import static dev.loxiharness.scenarios.Seed.VIP;
import static dev.loxiharness.scenarios.Seed.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.loxiharness.junit.Topology;
import dev.loxiharness.junit.TopologyExtension;
import dev.loxiharness.junit.TopologyHandle;
import dev.loxiharness.junit.probe.BgpNeighbor;
import dev.loxiharness.junit.probe.BgpPath;
import dev.loxiharness.junit.probe.BirdProtocol;
import dev.loxiharness.junit.probe.HttpResponse;
import dev.loxiharness.junit.probe.Route;
import io.qameta.allure.Allure;
import io.qameta.allure.Feature;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * The seed document's section 4 ("calico BGP & loxilb 연동"): loxilb in BGP mode peers with Calico
 * (AS 64512) and with the external router (AS 64001), learns the pod blocks from node1 and
 * advertises the VIP, and the client's traffic reaches nginx through both node endpoints.
 */
@Topology("seed.yaml")
@EnabledIf(value = "loxilbRunsBgp", disabledReason = "section 4 needs loxilb in BGP mode (seed.yaml); the selected topology runs it without")
@Feature("seed section 4: Calico BGP and loxilb")
@DisplayName("Seed section 4: Calico BGP and loxilb")
class SeedBgpScenario {
    static TopologyHandle topo;

    /** Decided before the topology comes up: -Dloxiharness.topology=seed-l2.yaml skips this class. */
    static boolean loxilbRunsBgp() {
        return Seed.bgp(TopologyExtension.selected(SeedBgpScenario.class));
    }

    @Test
    @DisplayName("loxilb <-> Calico node1 (AS 64512): Established, seen by gobgp on lb and by BIRD on node1")
    void loxilbAndCalicoNode1AreEstablished() {
        establishedFromBothEnds(NODE1, NODE1_IP, CALICO_AS, LB_K8SNET);
    }

    @Test
    @DisplayName("loxilb <-> external router (AS 64001): Established, seen by gobgp on lb and by BIRD on the router")
    void loxilbAndTheRouterAreEstablished() {
        establishedFromBothEnds(ROUTER, ROUTER_IP, ROUTER_AS, LB_LLBNET);
    }

    /** The session between loxilb and a BIRD {@code peer}: GoBGP's view on lb, then BIRD's on the peer. */
    private static void establishedFromBothEnds(String peer, String peerIp, long peerAs, String lbIpOnThatSide) {
        eventually("gobgp neighbor on lb: " + peerIp + " Established", () ->
                assertThat(topo.bgpNeighbors(LB)).as("gobgp neighbor on lb")
                        .extracting(BgpNeighbor::address, BgpNeighbor::peerAs, BgpNeighbor::state)
                        .contains(tuple(peerIp, peerAs, "ESTABLISHED")));
        eventually("birdc show protocols on " + peer + ": " + lbIpOnThatSide + " Established", () ->
                assertThat(topo.birdProtocols(peer)).as("birdc show protocols on %s", peer)
                        .extracting(BirdProtocol::peer, BirdProtocol::proto, BirdProtocol::info)
                        .contains(tuple(lbIpOnThatSide, "BGP", "Established")));
        Allure.addAttachment("gobgp neighbor (lb)", "text/plain", topo.exec(LB, "gobgp", "neighbor").stdout());
        Allure.addAttachment("birdc show protocols (" + peer + ")", "text/plain", topo.birdc(peer, "show", "protocols"));
    }

    @Test
    @DisplayName("gobgp global rib: Calico's four /26 blocks via 192.168.57.101, AS path 64512, origin i")
    void loxilbLearntCalicosPodBlocks() {
        eventually("gobgp global rib on lb: the four pod blocks via node1", () ->
                assertThat(BgpPath.best(topo.bgpRib(LB))).as("best paths of gobgp global rib on lb")
                        .filteredOn(p -> POD_BLOCKS.contains(p.prefix()))
                        .extracting(BgpPath::prefix, BgpPath::nextHop, BgpPath::asns, BgpPath::origin)
                        .containsExactlyInAnyOrder(POD_BLOCKS.stream()
                                .map(b -> tuple(b, NODE1_IP, List.of(CALICO_AS), "i")).toArray(org.assertj.core.groups.Tuple[]::new)));
        Allure.addAttachment("gobgp global rib -a ipv4 -j (lb)", "application/json",
                topo.gobgpJson(LB, "global", "rib", "-a", "ipv4").toPrettyString());
    }

    @Test
    @DisplayName("the router's kernel has 123.123.123.15/32 via 192.168.20.4, advertised by loxilb")
    void theRouterLearntTheVip() {
        eventually("gobgp global rib on lb: loxilb originates the VIP /32", () ->
                assertThat(topo.bgpRib(LB).get(VIP + "/32")).as("paths of %s/32 in lb's RIB", VIP).isNotEmpty()
                        .allSatisfy(p -> assertThat(p.neighbor()).as("a local path").isEmpty()));
        eventually("ip route on router: the VIP via loxilb", () ->
                assertThat(topo.routes(ROUTER, VIP + "/32")).as("ip -j route show %s/32 on router", VIP)
                        .extracting(Route::dst, Route::gateway, Route::protocol)
                        .containsExactly(tuple(VIP, LB_LLBNET, "bird")));
        Allure.addAttachment("birdc show route all (router)", "text/plain", topo.birdc(ROUTER, "show", "route", "all"));
    }

    @Test
    @DisplayName("traffic from the client reaches nginx through both node endpoints (192.168.57.101 and .102)")
    void trafficReachesNginxThroughBothNodes() {
        // /ip answers with the address nginx saw: the node that forwarded the connection (kube-proxy masquerades)
        eventually("4 requests from the client reach nginx through both nodes", () -> {
            List<HttpResponse> answers = IntStream.range(0, 4).mapToObj(i -> topo.http(CLIENT, URL + "ip")).toList();
            assertThat(answers).as("curl %sip from the client, 4 times", URL).allSatisfy(r -> assertThat(r.status()).isEqualTo(200));
            assertThat(answers).extracting(r -> r.body().strip()).as("source address nginx saw")
                    .containsOnlyElementsOf(NODE_IPS).containsAll(NODE_IPS);
        });
    }
}
