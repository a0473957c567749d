package dev.loxiharness.scenarios;

import static dev.loxiharness.scenarios.Seed.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.loxiharness.harness.model.Cidr;
import dev.loxiharness.harness.probe.BgpNeighbor;
import dev.loxiharness.harness.probe.BgpPath;
import dev.loxiharness.harness.probe.BirdProtocol;
import dev.loxiharness.harness.probe.HttpResponse;
import dev.loxiharness.harness.probe.Route;
import dev.loxiharness.junit.Topology;
import dev.loxiharness.junit.TopologyExtension;
import dev.loxiharness.junit.TopologyHandle;
import io.qameta.allure.Allure;
import io.qameta.allure.Feature;
import java.util.List;
import java.util.stream.IntStream;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The seed document's section 4 ("calico BGP & loxilb 연동"): loxilb in BGP mode peers with Calico
 * (AS 64512) and with the external router (AS 64001), learns the pod blocks from node1 and
 * advertises the VIP, and the client's traffic reaches nginx through both node endpoints. Runs
 * nested, with section 3, in {@link SeedScenario} and on the other topologies' classes.
 */
@Topology("seed.yaml")
@Feature("seed section 4: Calico BGP and loxilb")
@DisplayName("Seed section 4: Calico BGP and loxilb")
abstract class SeedBgpScenario {
    static TopologyHandle topo;
    static Seed seed;

    @BeforeAll
    static void readTheSeedFromTheTopology() {
        seed = Seed.of(topo);
    }

    /**
     * For the nesting class's {@code @EnabledIf}, decided before the topology comes up:
     * -Dloxiharness.topology=seed-l2.yaml skips section 4 (JUnit does not inherit the condition).
     */
    static boolean loxilbRunsBgp() {
        return Seed.of(TopologyExtension.selected(SeedBgpScenario.class)).bgp();
    }

    @Test
    @DisplayName("loxilb <-> Calico node1 (AS 64512): Established, seen by gobgp on lb and by BIRD on node1")
    void loxilbAndCalicoNode1AreEstablished() {
        establishedFromBothEnds(seed.node1(), seed.node1Ip(), seed.calicoAs(), seed.lbOnNodes());
    }

    @Test
    @DisplayName("loxilb <-> external router (AS 64001): Established, seen by gobgp on lb and by BIRD on the router")
    void loxilbAndTheRouterAreEstablished() {
        establishedFromBothEnds(seed.router(), seed.routerIp(), seed.routerAs(), seed.lbOnRouter());
    }

    /** The session between loxilb and a BIRD {@code peer}: GoBGP's view on lb, then BIRD's on the peer. */
    private static void establishedFromBothEnds(String peer, String peerIp, long peerAs, String lbIpOnThatSide) {
        eventually("gobgp neighbor on lb: " + peerIp + " Established", () ->
                assertThat(topo.bgpNeighbors(seed.lb())).as("gobgp neighbor on lb")
                        .extracting(BgpNeighbor::address, BgpNeighbor::peerAs, BgpNeighbor::state)
                        .contains(tuple(peerIp, peerAs, "ESTABLISHED")));
        eventually("birdc show protocols on " + peer + ": " + lbIpOnThatSide + " Established", () ->
                assertThat(topo.birdProtocols(peer)).as("birdc show protocols on %s", peer)
                        .extracting(BirdProtocol::peer, BirdProtocol::proto, BirdProtocol::info)
                        .contains(tuple(lbIpOnThatSide, "BGP", "Established")));
        Allure.addAttachment("gobgp neighbor (lb)", "text/plain", topo.exec(seed.lb(), "gobgp", "neighbor").stdout());
        Allure.addAttachment("birdc show protocols (" + peer + ")", "text/plain", topo.birdc(peer, "show", "protocols"));
    }

    @Test
    @DisplayName("gobgp global rib: Calico's four /26 blocks via 192.168.57.101, AS path 64512, origin i")
    void loxilbLearntCalicosPodBlocks() {
        if (seed.podBlocks().isEmpty()) {
            Cidr pods = Cidr.parse(seed.podCidr());
            eventually("gobgp global rib on lb: Calico's pod blocks (within " + seed.podCidr() + ") via node1", () ->
                    assertThat(BgpPath.best(topo.bgpRib(seed.lb()))).as("best paths of gobgp global rib on lb")
                            .filteredOn(p -> p.prefix().contains("/") && !p.prefix().contains(":") && pods.contains(Cidr.parse(p.prefix())))
                            .isNotEmpty()
                            .allSatisfy(p -> assertThat(List.of(p.nextHop(), p.asns(), p.origin()))
                                    .isEqualTo(List.of(seed.node1Ip(), List.of(seed.calicoAs()), "i"))));
        } else {
            eventually("gobgp global rib on lb: the four pod blocks via node1", () ->
                    assertThat(BgpPath.best(topo.bgpRib(seed.lb()))).as("best paths of gobgp global rib on lb")
                            .filteredOn(p -> seed.podBlocks().contains(p.prefix()))
                            .extracting(BgpPath::prefix, BgpPath::nextHop, BgpPath::asns, BgpPath::origin)
                            .containsExactlyInAnyOrder(seed.podBlocks().stream()
                                    .map(b -> tuple(b, seed.node1Ip(), List.of(seed.calicoAs()), "i")).toArray(Tuple[]::new)));
        }
        Allure.addAttachment("gobgp global rib -a ipv4 -j (lb)", "application/json",
                topo.gobgpJson(seed.lb(), "global", "rib", "-a", "ipv4").toPrettyString());
    }

    @Test
    @DisplayName("the router's kernel has 123.123.123.15/32 via 192.168.20.4, advertised by loxilb")
    void theRouterLearntTheVip() {
        eventually("gobgp global rib on lb: loxilb originates the VIP /32", () ->
                assertThat(topo.bgpRib(seed.lb()).get(seed.vip() + "/32")).as("paths of %s/32 in lb's RIB", seed.vip()).isNotEmpty()
                        .allSatisfy(p -> assertThat(p.neighbor()).as("a local path").isEmpty()));
        eventually("ip route on router: the VIP via loxilb", () ->
                assertThat(topo.routes(seed.router(), seed.vip() + "/32")).as("ip -j route show %s/32 on router", seed.vip())
                        .extracting(Route::dst, Route::gateway, Route::protocol)
                        .containsExactly(tuple(seed.vip(), seed.lbOnRouter(), "bird")));
        Allure.addAttachment("birdc show route all (router)", "text/plain", topo.birdc(seed.router(), "show", "route", "all"));
    }

    @Test
    @DisplayName("traffic from the client reaches nginx through both node endpoints (192.168.57.101 and .102)")
    void trafficReachesNginxThroughBothNodes() {
        // /ip answers with the address nginx saw: the node that forwarded the connection (kube-proxy masquerades)
        if (!seed.simulatedPods()) {
            eventually("4 requests from the client reach nginx (the stock image: which node forwarded is not visible)", () ->
                    assertThat(IntStream.range(0, 4).mapToObj(i -> topo.http(seed.client(), seed.url())).toList())
                            .as("curl %s from the client, 4 times", seed.url()).allSatisfy(r -> assertThat(r.status()).isEqualTo(200)));
            return;
        }
        eventually("4 requests from the client reach nginx through both nodes", () -> {
            List<HttpResponse> answers = IntStream.range(0, 4).mapToObj(i -> topo.http(seed.client(), seed.url() + "ip")).toList();
            assertThat(answers).as("curl %sip from the client, 4 times", seed.url()).allSatisfy(r -> assertThat(r.status()).isEqualTo(200));
            assertThat(answers).extracting(r -> r.body().strip()).as("source address nginx saw")
                    .containsOnlyElementsOf(seed.nodeIps()).containsAll(seed.nodeIps());
        });
    }
}
