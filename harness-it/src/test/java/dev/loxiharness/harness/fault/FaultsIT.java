package dev.loxiharness.harness.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.loxiharness.console.Progress;
import dev.loxiharness.harness.backend.Backends;
import dev.loxiharness.harness.backend.Daemon;
import dev.loxiharness.harness.backend.Node;
import dev.loxiharness.harness.backend.RunningTopology;
import dev.loxiharness.harness.cli.TopologyMain;
import dev.loxiharness.harness.model.Topology;
import dev.loxiharness.harness.model.TopologyLoader;
import dev.loxiharness.harness.probe.BgpNeighbor;
import dev.loxiharness.harness.probe.Curl;
import dev.loxiharness.harness.probe.Gobgp;
import dev.loxiharness.harness.probe.Ip;
import dev.loxiharness.harness.probe.Loxicmd;
import dev.loxiharness.harness.probe.LoxilbApi;
import dev.loxiharness.netns.Lab;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.core.ThrowingRunnable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Faults on a real topology ({@code faults.yaml}: loxilb between a BIRD router and a client, BGP
 * hold time 3 s) under a name of its own ({@code itfault-xyz}): each fault is injected as {@code ./topology
 * fault} does it, and recovery is awaited on what the daemons themselves say. Every test leaves the
 * topology as it found it (both BGP ends Established, the VIP learnt by the router).
 */
class FaultsIT {
    static final Path HOME = Path.of(System.getProperty("loxiharness.home", "..")).toAbsolutePath().normalize();
    static final String NAME = Topology.uniqueName("itfault");
    static final String VIP = "123.123.123.15";
    static final Duration RECOVERY = Duration.ofSeconds(30);

    static RunningTopology topo;
    static Faults faults;

    @BeforeAll
    static void up() {
        Assumptions.assumeTrue(Lab.usable(), "needs root with ip, nft, nginx, curl, bird2 and gobgpd (bin/install-packages)");
        topo = Backends.named("netns").up(TopologyLoader.load(Path.of("src/test/resources/faults.yaml").toAbsolutePath()).withName(NAME),
                HOME, Progress.SILENT);
        faults = new Faults(topo);
        // a rule with bgp: its VIP is advertised to the router, and it is persisted under --config-path
        Loxicmd.run(lb(), "create", "lb", VIP, "--tcp=8888:30000", "--endpoints=192.168.57.101:1", "--bgp").orThrow();
    }

    @AfterAll
    static void down() {
        if (topo != null) {
            topo.down();
        }
    }

    @BeforeEach
    void healthy() {
        awaitRecovered("the topology healthy before the fault");
    }

    @Test
    void loxilbKilledStaysDeadThenStartsAgainWithItsRulesRestored() {
        FaultRecord killed = faults.on("lb").kill("loxilb");

        assertThat(killed.line()).contains("lb  loxilb  SIGKILL pid ");
        assertThat(Curl.get(lb(), "http://127.0.0.1:11111/netlox/v1/version").status()).as("REST of a killed loxilb").isNotEqualTo(200);
        assertThat(daemon("lb", "loxilb").describe()).contains("not running");

        FaultRecord started = faults.on("lb").start("loxilb");
        assertThat(started.done()).startsWith("started again: pid ");
        awaitRecovered("loxilb answering with its persisted rule, sessions and the VIP back");
    }

    @Test
    void loxilbRestartedIsANewProcessWithItsRulesRestored() {
        String before = daemon("lb", "loxilb").describe();

        FaultRecord restarted = faults.on("lb").restart("loxilb");

        assertThat(restarted.done()).matches("SIGTERM pid \\d+, ended after .* s; started again: pid \\d+ .*");
        assertThat(daemon("lb", "loxilb").describe()).isNotEqualTo(before);
        awaitRecovered("loxilb answering with its persisted rule, sessions and the VIP back");
    }

    /** The Java loxilb supervises its gobgpd: a killed one is started again and the VIP advertised again. */
    @Test
    void gobgpdKilledIsStartedAgainByLoxilbAndTheVipAdvertisedAgain() {
        String before = daemon("lb", "gobgpd").describe();

        FaultRecord killed = faults.on("lb").kill("gobgpd");

        assertThat(killed.done()).startsWith("SIGKILL pid ");
        await("a new gobgpd, child of loxilb").atMost(RECOVERY).pollInterval(Duration.ofMillis(50)).untilAsserted(() ->
                assertThat(daemon("lb", "gobgpd").describe()).isNotEqualTo(before).contains("child of loxilb"));
        awaitRecovered("session and the VIP back through the new gobgpd");
    }

    @Test
    void gobgpdRestartWaitsForLoxilbToStartIt() {
        FaultRecord restarted = faults.on("lb").restart("gobgpd");

        assertThat(restarted.done()).matches("SIGTERM pid \\d+; loxilb started it again: pid \\d+ \\(child of loxilb pid \\d+\\) after .* s");
        awaitRecovered("session back through the new gobgpd");
    }

    /** A frozen BIRD keeps its socket open; loxilb notices only when the 3 s hold timer expires. */
    @Test
    void birdStoppedLosesItsSessionAndStartedGetsItBack() {
        FaultRecord stopped = faults.on("router").stop("bird");

        assertThat(stopped.done()).startsWith("SIGSTOP pid ");
        assertThat(daemon("router", "bird").describe()).contains("stopped");
        awaitSession("loxilb's session to the frozen router ends (hold timer)", false);

        FaultRecord started = faults.on("router").start("bird");
        assertThat(started.done()).startsWith("SIGCONT pid ");
        awaitRecovered("BIRD thawed: session Established again");
    }

    @Test
    void linkDownEndsTheSessionAndLinkUpBringsItBack() {
        FaultRecord down = faults.link("lb", "eth0").down();

        assertThat(down.line()).contains("lb  link eth0  ip link set eth0 down (now: eth0").contains("DOWN");
        awaitSession("session over the link that is down ends (hold timer)", false);

        faults.link("lb", "eth0").up();
        awaitRecovered("link up: session Established again");
    }

    @Test
    void unknownNamesAreRefusedNamingWhatExists() {
        assertThatThrownBy(() -> faults.on("nonode").kill("loxilb")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no node or pod nonode in topology " + NAME + "; faults can hit: lb (loxilb, gobgpd), router (bird), client (no daemons)");
        assertThatThrownBy(() -> faults.on("lb").kill("bird")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("no daemon bird in lb of topology " + NAME + "; it runs: loxilb pid ").hasMessageContaining("gobgpd pid ");
        assertThatThrownBy(() -> faults.on("pod/nginx").kill("nginx")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no node or pod pod/nginx");
        assertThatThrownBy(() -> faults.link("lb", "eth9").down()).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no interface eth9 in node lb (namespace lxh-" + NAME + "-lb); it has: lo, eth0, eth1");
        assertThatThrownBy(() -> faults.link("nonode", "eth0")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no node nonode in topology " + NAME + " (nodes: lb, router, client)");
        assertThatThrownBy(() -> Action.parse("frob")).hasMessage("unknown fault 'frob' (known: kill, stop, start, restart, link)");
    }

    @Test
    void theCommandLineSaysWhatItDidAndRefusesUnknownNamesWithExitCode1() {
        assertThat(TopologyMain.run("fault", "-t", NAME, "lb", "kill", "nope")).isEqualTo(1);
        assertThat(TopologyMain.run("fault", "-t", NAME, "lb", "link", "eth0")).isEqualTo(1);
        assertThat(TopologyMain.run("fault", "-t", NAME, "lb", "restart", "gobgpd")).isZero();
        awaitRecovered("session back after the command line's gobgpd restart");
    }

    private static Node lb() {
        return topo.node("lb");
    }

    private static Daemon daemon(String target, String name) {
        List<Daemon> named = topo.faultTargets().get(target).stream().filter(d -> d.name().equals(name)).toList();
        assertThat(named).as(name + " in " + target).hasSize(1);
        return named.get(0);
    }

    /**
     * loxilb answers with its rule (its REST API, as loxicmd asks it: a poll must not start a
     * loxicmd JVM), both ends of the session are Established, and the router has the VIP from loxilb.
     */
    private static void awaitRecovered(String what) {
        awaitAsserted(what, () -> {
            assertThat(LoxilbApi.rules(lb()).toString()).as("loxilb's rules").contains(VIP);
            assertThat(Gobgp.neighbors(lb())).extracting(BgpNeighbor::state).as("loxilb's session").containsExactly("ESTABLISHED");
            assertThat(Ip.routes(topo.node("router"), VIP)).as("the router's route to the VIP")
                    .anySatisfy(r -> assertThat(r.gateway()).isEqualTo("192.168.20.4"));
        });
    }

    private static void awaitSession(String what, boolean established) {
        awaitAsserted(what, () -> assertThat(Gobgp.neighbors(lb())).extracting(BgpNeighbor::state)
                .as("loxilb's session").allMatch(s -> s.equals("ESTABLISHED") == established));
    }

    private static void awaitAsserted(String what, ThrowingRunnable check) {
        await(what).atMost(RECOVERY).pollInterval(Duration.ofMillis(100)).ignoreExceptions().untilAsserted(check);
    }
}
