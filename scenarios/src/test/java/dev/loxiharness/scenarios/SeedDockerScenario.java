package dev.loxiharness.scenarios;

import static dev.loxiharness.scenarios.Seed.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.loxiharness.exec.Commands;
import dev.loxiharness.exec.ExecResult;
import dev.loxiharness.harness.probe.BgpNeighbor;
import dev.loxiharness.junit.Topology;
import dev.loxiharness.junit.TopologyExtension;
import dev.loxiharness.junit.TopologyHandle;
import io.qameta.allure.Allure;
import io.qameta.allure.Feature;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * The seed's own Docker steps on loxilb as a container: the seed document's commands through the
 * real docker CLI ({@code docker exec loxilb loxicmd get lb}, {@code gobgp neigh}, {@code gobgp
 * global rib}, {@code ip route}), then its step 4.4, {@code docker stop loxilb; docker start
 * loxilb}, after which the rules, the BGP sessions and the traffic come back.
 */
@Topology("seed-docker.yaml")
@EnabledIf(value = "loxilbIsAContainer", disabledReason = "needs the loxilb node as a container (seed-docker.yaml); the selected topology runs it in a namespace")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Feature("seed with loxilb as a Docker container")
@DisplayName("Seed with loxilb as a Docker container: the seed's docker commands and a restart")
class SeedDockerScenario {
    static TopologyHandle topo;
    static Seed seed;
    static String container;

    @BeforeAll
    static void readTheSeedFromTheTopology() {
        seed = Seed.of(topo);
        var lb = topo.topology().nodes().get(seed.lb());
        container = lb.container() != null && lb.container().name() != null ? lb.container().name() : seed.lb();
    }

    static boolean loxilbIsAContainer() {
        var t = TopologyExtension.selected(SeedDockerScenario.class);
        return t.nodes().get(Seed.of(t).lb()).isContainer();
    }

    private static ExecResult docker(String... args) {
        List<String> argv = new ArrayList<>(List.of("docker"));
        argv.addAll(List.of(args));
        ExecResult r = Commands.run(argv);
        Allure.addAttachment(String.join(" ", argv), "text/plain", r.stdout() + r.stderr());
        return r;
    }

    @Test
    @Order(1)
    @DisplayName("docker exec loxilb loxicmd get lb / gobgp neigh / gobgp global rib / ip route answer as in the seed")
    void theSeedsDockerCommandsAnswer() {
        eventually("docker exec " + container + " loxicmd get lb shows the VIP", () ->
                assertThat(docker("exec", container, "loxicmd", "get", "lb").stdout()).contains("| " + seed.vip() + " | " + seed.port() + " | tcp"));
        assertThat(docker("exec", container, "loxicmd", "get", "lb", "--legacy").stdout()).as("the seed document's table")
                .contains(seed.loxicmdRow());
        eventually("docker exec " + container + " gobgp neigh: every peer Established", () -> {
            String neigh = docker("exec", container, "gobgp", "neigh").stdout();
            assertThat(neigh).contains(seed.node1Ip(), seed.routerIp());
            assertThat(neigh.lines().filter(l -> l.contains("Establ")).count()).isEqualTo(2);
        });
        eventually("docker exec " + container + " gobgp global rib: Calico's pod blocks", () ->
                assertThat(docker("exec", container, "gobgp", "global", "rib").stdout()).contains(seed.podBlocks()));
        assertThat(docker("exec", container, "ip", "route").stdout())
                .contains("192.168.57.0/24 dev eth1", "192.168.20.0/24 dev eth0");
    }

    @Test
    @Order(2)
    @DisplayName("docker stop loxilb; docker start loxilb: rules restored, sessions Established again, the VIP answers")
    void aRestartAsInTheSeedRecovers() {
        assertThat(docker("stop", container).ok()).isTrue();
        assertThat(docker("start", container).ok()).isTrue();
        eventually("after docker start: loxicmd get lb shows the VIP again (restored from /etc/loxilb/lbconfig.txt)", () ->
                assertThat(topo.loxicmd(seed.lb(), "get", "lb", "--legacy").stdout()).contains(seed.loxicmdRow()));
        eventually("after docker start: gobgp neighbor on lb: both peers Established", () ->
                assertThat(topo.bgpNeighbors(seed.lb())).extracting(BgpNeighbor::address, BgpNeighbor::state)
                        .contains(tuple(seed.node1Ip(), "ESTABLISHED"), tuple(seed.routerIp(), "ESTABLISHED")));
        eventually("after docker start: curl " + seed.url() + " from the client answers 200", () ->
                assertThat(topo.http(seed.client(), seed.url()).status()).isEqualTo(200));
    }
}
