package dev.loxiharness.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.loxiharness.harness.fault.FaultRecord;
import dev.loxiharness.harness.graph.Graphviz;
import dev.loxiharness.harness.probe.BgpNeighbor;
import dev.loxiharness.harness.probe.BirdProtocol;
import dev.loxiharness.harness.probe.Route;
import dev.loxiharness.harness.state.StateDir;
import dev.loxiharness.junit.capture.Capture;
import dev.loxiharness.junit.capture.CapturedPacket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/** The extension on a real (small) topology: injection, parsed probes, capture, evidence on failure. */
@Topology("src/test/resources/tiny.yaml")
class TopologyExtensionIT {
    static final Duration CONVERGE = Duration.ofSeconds(30);

    TopologyHandle topo;

    @Test
    void theHandleIsInjectedAndItsProbesParse(TopologyHandle param) throws Exception {
        assertThat(param).isSameAs(topo);
        assertThat(topo.name()).matches("tiny-[a-z0-9]{3}");
        assertThat(topo.nodesWithRole("loxilb")).containsExactly("lb");
        awaitAsserted(() -> assertThat(topo.bgpNeighbors("lb")).extracting(BgpNeighbor::address, BgpNeighbor::state)
                .containsExactly(tuple("192.168.20.55", "ESTABLISHED")));
        awaitAsserted(() -> assertThat(topo.birdProtocols("router")).extracting(BirdProtocol::peer, BirdProtocol::info)
                .contains(tuple("192.168.20.4", "Established")));
        awaitAsserted(() -> assertThat(topo.routes("lb", "198.51.100.0/24")).extracting(Route::gateway, Route::protocol)
                .containsExactly(tuple("192.168.20.55", "bgp")));
        assertThat(topo.nftRuleset("lb").findValues("table")).anySatisfy(t -> assertThat(t.path("name").asText()).isEqualTo("loxilb"));
        assertThat(topo.http("client", "http://192.168.20.4:11111/netlox/v1/version").status()).isEqualTo(200);
    }

    @Test
    void aCaptureKeepsWhatWasSentAndStopsOnAnIdleLink() throws Exception {
        List<CapturedPacket> packets;
        try (Capture c = topo.capture("client", "eth0", "tcp port 9")) {
            // nothing listens on the router's port 9: one SYN, answered by a RST
            assertThat(topo.http("client", "http://198.51.100.1:9/").status()).isZero();
            packets = assertTimeoutPreemptively(Duration.ofSeconds(10), c::stop);
            assertThat(c.file()).isNotEmptyFile();
        }
        assertThat(packets).extracting(CapturedPacket::srcEndpoint, CapturedPacket::dstEndpoint, CapturedPacket::tcpFlags)
                .containsExactly(tuple("198.51.100.10:" + packets.get(0).srcPort(), "198.51.100.1:9", Set.of("SYN")),
                        tuple("198.51.100.1:9", "198.51.100.10:" + packets.get(0).srcPort(), Set.of("RST", "ACK")));
        Capture idle = topo.capture("lb", "eth0", "udp port 9");
        assertThat(assertTimeoutPreemptively(Duration.ofSeconds(10), idle::stop)).isEmpty();
    }

    /** A scenario class written for a topology of its own (this file does not exist: it must never come up). */
    @Topology("src/test/resources/no-such-topology.yaml")
    static class WrittenForAnotherTopology {
        static String name;

        @Test
        void runs(TopologyHandle t) {
            name = t.name();
        }
    }

    /** Run through the EngineTestKit below: its tests fail on purpose; the nested one passes on this topology. */
    @Topology("src/test/resources/tiny.yaml")
    static class FailingExample {
        static String name;
        static String evidenceBefore;

        @Nested
        class Reused extends WrittenForAnotherTopology {
        }

        @Test
        void fails(TopologyHandle t) {
            name = t.name();
            throw new AssertionError("the original failure");
        }

        @Test
        void failsWhereNoEvidenceCanBeWritten() {
            evidenceBefore = System.getProperty(Settings.EVIDENCE);
            System.setProperty(Settings.EVIDENCE, "/proc/no-evidence-here");
            throw new IllegalStateException("the original failure, again");
        }

        @AfterEach
        void restore() {
            if (evidenceBefore != null) {
                System.setProperty(Settings.EVIDENCE, evidenceBefore);
                evidenceBefore = null;
            }
        }
    }

    @Test
    void aFailedTestLeavesEvidenceAndKeepsItsOwnFailure() throws Exception {
        Events tests = EngineTestKit.engine("junit-jupiter").selectors(selectClass(FailingExample.class)).execute().testEvents();
        assertThat(tests.failed().list()).hasSize(2).extracting(e -> e.getPayload(TestExecutionResult.class)
                        .flatMap(TestExecutionResult::getThrowable).map(Throwable::getMessage).orElse(""))
                .containsExactlyInAnyOrder("the original failure", "the original failure, again");
        assertThat(tests.succeeded().count()).as("the nested class written for another topology").isEqualTo(1);
        assertThat(WrittenForAnotherTopology.name).as("it ran on the enclosing class's topology").isEqualTo(FailingExample.name);
        Path dir = Settings.evidenceDir().resolve("TopologyExtensionIT$FailingExample").resolve("fails");
        assertThat(dir.resolve("index.txt")).exists();
        assertThat(dir.resolve("failure.txt")).content().contains("the original failure");
        if (Graphviz.whyNot().isEmpty()) {
            assertThat(dir.resolve(TopologyExtension.PICTURE)).as("the picture at the moment of failure")
                    .content().contains("<svg", ">lb</text>", ">router</text>", ">client</text>", ">llbnet</text>");
        }
        assertThat(dir.resolve("nodes/lb/loxicmd-get-lb.txt")).as("no rules: an empty table").exists();
        assertThat(dir.resolve("logs/router.bird.log")).as("BIRD logs to syslog: maybe empty").exists();
        for (String f : List.of("nodes/lb/gobgp-neigh.txt", "nodes/lb/gobgp-neigh.json", "nodes/lb/gobgp-global-rib.json",
                "nodes/lb/nft-ruleset.txt", "nodes/router/birdc-show-protocols-all.txt",
                "nodes/router/birdc-show-route.txt", "nodes/client/ip-addr.json", "nodes/client/ip-route.json",
                "logs/lb.loxilb.log", "configs/router/etc/bird/bird.conf")) {
            assertThat(dir.resolve(f)).as(f).isNotEmptyFile();
        }
        assertThat(Files.readString(dir.resolve("nodes/lb/gobgp-neigh.txt"))).contains("192.168.20.55");
        assertThat(Files.readString(dir.resolve("index.txt"))).doesNotContain("FAIL ");
        assertThat(StateDir.of(FailingExample.name)).as("the example's topology is down").doesNotExist();
    }

    /** The handle's faults are ./topology fault's: found by pid, said what they did, unknown names refused. */
    @Test
    void faultsGoThroughTheHandle() throws Exception {
        FaultRecord restarted = topo.fault("lb").restart("gobgpd");

        assertThat(restarted.line()).contains("lb  gobgpd  SIGTERM pid ").contains("loxilb started it again: pid ");
        awaitAsserted(() -> assertThat(topo.bgpNeighbors("lb")).extracting(BgpNeighbor::state).containsExactly("ESTABLISHED"));
        assertThatThrownBy(() -> topo.fault("lb").kill("nope")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("it runs: loxilb pid ");
        assertThat(topo.link("lb", "eth0").up().done()).startsWith("ip link set eth0 up (now: eth0");
    }

    private static void awaitAsserted(Runnable assertion) throws InterruptedException {
        long deadline = System.nanoTime() + CONVERGE.toNanos();
        while (true) {
            try {
                assertion.run();
                return;
            } catch (AssertionError e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }
}
