package dev.loxiharness.scenarios;

import static dev.loxiharness.scenarios.Seed.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loxiharness.harness.probe.HttpResponse;
import dev.loxiharness.junit.Topology;
import dev.loxiharness.junit.TopologyHandle;
import dev.loxiharness.junit.capture.Capture;
import dev.loxiharness.junit.capture.CapturedPacket;
import io.qameta.allure.Allure;
import io.qameta.allure.Feature;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The seed document's section 3 ("기본 연동 확인", basic integration): the LoadBalancer Service gets
 * the first address of loxilb's pool, loxilb holds the rule with both nodes as endpoints, and the
 * client reaches nginx through the VIP. Written for seed.yaml, and holds on seed-l2.yaml (no BGP)
 * too; it runs nested, with section 4, in {@link SeedScenario} and on the other topologies' classes.
 */
@Topology("seed.yaml")
@Feature("seed section 3: the LoadBalancer Service through loxilb")
@DisplayName("Seed section 3: the LoadBalancer Service through loxilb")
abstract class SeedServiceScenario {
    static TopologyHandle topo;
    static Seed seed;

    @BeforeAll
    static void readTheSeedFromTheTopology() {
        seed = Seed.of(topo);
    }

    @Test
    @DisplayName("kubectl get svc: EXTERNAL-IP 123.123.123.15, the first address of the pool, port 8888:NodePort")
    void serviceGetsTheFirstAddressOfThePool() {
        String pool = topo.topology().loadBalancer().controller().externalCidr();
        eventually("kubectl: nginx-service gets its EXTERNAL-IP", () ->
                assertThat(seed.serviceJson(topo).at("/status/loadBalancer/ingress"))
                        .as("status.loadBalancer.ingress of %s", seed.service()).extracting(i -> i.path("ip").asText()).containsExactly(seed.vip()));
        assertThat(seed.vip()).as("first address of the pool %s", pool).isEqualTo(pool.substring(0, pool.indexOf('/')));
        JsonNode svc = seed.serviceJson(topo);
        assertThat(svc.at("/spec/type").asText()).isEqualTo("LoadBalancer");
        assertThat(svc.at("/spec/ports/0/port").asInt()).isEqualTo(seed.port());
        assertThat(svc.at("/spec/ports/0/nodePort").asInt()).as("NodePort").isBetween(30000, 32767);
        String table = topo.kubectl("get", "svc", seed.service()).stdout();
        Allure.addAttachment("kubectl get svc " + seed.service(), "text/plain", table);
        assertThat(table.lines().skip(1).findFirst().orElse("")).as("kubectl get svc").contains(seed.service(), "LoadBalancer", seed.vip())
                .containsPattern(seed.port() + ":3\\d{4}/TCP");
    }

    @Test
    @DisplayName("loxicmd get lb: the seed's row | 123.123.123.15 | 8888 | tcp | 0 | 2 |, endpoints node:NodePort")
    void loxilbHasTheRuleWithBothNodes() {
        eventually("loxicmd get lb --legacy shows the seed's row", () ->
                assertThat(topo.loxicmd(seed.lb(), "get", "lb", "--legacy").stdout().lines()).as("loxicmd get lb --legacy").contains(seed.loxicmdRow()));
        int nodePort = seed.nodePort(topo);
        JsonNode rules = seed.loxilbRules(topo);
        Allure.addAttachment("loxicmd get lb -o json", "application/json", rules.toPrettyString());
        assertThat(rules).as("loxicmd get lb -o json").hasSize(1);
        JsonNode rule = rules.get(0);
        assertThat(rule.at("/serviceArguments/externalIP").asText()).isEqualTo(seed.vip());
        assertThat(rule.at("/serviceArguments/port").asInt()).isEqualTo(seed.port());
        assertThat(rule.at("/serviceArguments/sel").asInt()).as("selection (0: round robin)").isZero();
        assertThat(rule.path("endpoints")).extracting(e -> e.path("endpointIP").asText(), e -> e.path("targetPort").asInt())
                .containsExactlyInAnyOrder(tuple(seed.nodeIps().get(0), nodePort), tuple(seed.nodeIps().get(1), nodePort));
        assertThat(seed.nftServices(topo)).as("services in lb's nftables (map svcs of table ip loxilb)")
                .containsExactly(seed.vip() + " . tcp . " + seed.port());
    }

    @Test
    @DisplayName("curl VIP:8888 from the client: 200 from the nginx pod")
    void clientReachesNginxThroughTheVip() {
        AtomicReference<HttpResponse> last = new AtomicReference<>();
        eventually("curl " + seed.url() + " from the client answers 200", () -> {
            last.set(topo.http(seed.client(), seed.url()));
            assertThat(last.get().status()).as("%s", last.get()).isEqualTo(200);
        });
        assertThat(last.get().body()).as("body of %s", seed.url()).contains("nginx");
    }

    @Test
    @DisplayName("loxilb DNATs VIP:8888 to a node's NodePort, keeping the client's address (capture on lb eth0 and eth1)")
    void loxilbDnatsTheVipToANodePort() {
        eventually("the VIP answers before the capture", () -> assertThat(topo.http(seed.client(), seed.url() + "ip").status()).isEqualTo(200));
        int nodePort = seed.nodePort(topo);
        List<CapturedPacket> clientSide;
        List<CapturedPacket> nodeSide;
        try (Capture eth0 = topo.capture(seed.lb(), "eth0", "tcp port " + seed.port());
             Capture eth1 = topo.capture(seed.lb(), "eth1", "tcp port " + nodePort)) {
            HttpResponse r = topo.http(seed.client(), seed.url() + "ip");
            assertThat(r.status()).as("%s", r).isEqualTo(200);
            clientSide = eth0.stop();
            nodeSide = eth1.stop();
        }
        CapturedPacket inbound = clientSide.stream().filter(CapturedPacket::isSyn).findFirst().orElseThrow(() ->
                new AssertionError("no SYN on lb eth0 (client side); captured: " + clientSide));
        assertThat(inbound).as("SYN on eth0").extracting(CapturedPacket::src, CapturedPacket::dstEndpoint)
                .containsExactly(seed.clientIp(), seed.vip() + ":" + seed.port());
        CapturedPacket forwarded = nodeSide.stream().filter(CapturedPacket::isSyn).findFirst().orElseThrow(() ->
                new AssertionError("no SYN on lb eth1 (node side); captured: " + nodeSide));
        assertThat(forwarded).as("the same connection's SYN on eth1, after DNAT")
                .extracting(CapturedPacket::src, CapturedPacket::srcPort, CapturedPacket::dstPort)
                .containsExactly(seed.clientIp(), inbound.srcPort(), nodePort);
        assertThat(forwarded.dst()).as("DNAT target").isIn(seed.nodeIps());
        assertThat(clientSide).as("replies on eth0 come from the VIP (un-DNAT)")
                .anySatisfy(p -> assertThat(p).extracting(CapturedPacket::srcEndpoint, CapturedPacket::dstPort, CapturedPacket::tcpFlags)
                        .containsExactly(seed.vip() + ":" + seed.port(), inbound.srcPort(), Set.of("SYN", "ACK")));
        Allure.addAttachment("decoded packets", "text/plain", "lb eth0 (client side)\n" + lines(clientSide)
                + "\nlb eth1 (node side)\n" + lines(nodeSide));
    }

    private static String lines(List<CapturedPacket> packets) {
        StringBuilder s = new StringBuilder();
        packets.forEach(p -> s.append("  ").append(p).append('\n'));
        return s.toString();
    }
}
