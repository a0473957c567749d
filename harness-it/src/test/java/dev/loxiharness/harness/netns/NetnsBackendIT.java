package dev.loxiharness.harness.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.loxiharness.console.Progress;
import dev.loxiharness.exec.Commands;
import dev.loxiharness.harness.backend.Backend;
import dev.loxiharness.harness.backend.Backends;
import dev.loxiharness.harness.backend.RunningTopology;
import dev.loxiharness.harness.check.CheckResult;
import dev.loxiharness.harness.check.Checks;
import dev.loxiharness.harness.model.Topology;
import dev.loxiharness.harness.model.TopologyLoader;
import dev.loxiharness.harness.state.Processes;
import dev.loxiharness.harness.state.StateDir;
import dev.loxiharness.netns.Lab;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Up and down of real topologies: checks pass, nothing is left, the root namespace is never touched. */
class NetnsBackendIT {
    static final Path HOME = Path.of(System.getProperty("loxiharness.home", "..")).toAbsolutePath().normalize();
    static final Path SMALL = Path.of("src/test/resources/small.yaml").toAbsolutePath();
    static final Backend NETNS = Backends.named("netns");

    @BeforeAll
    static void needsRoot() {
        Assumptions.assumeTrue(Lab.usable(), "needs root with ip, nft, nginx, curl, bird2 and gobgpd (bin/install-packages)");
    }

    /**
     * Docker's own per-network bridges and per-container veths ({@code br-<id>}, {@code veth<id>})
     * and the nft rules naming them: other users' containers come and go while this runs, and no
     * link of ours is ever named so (ours are made inside our namespaces).
     */
    static final Pattern DOCKERS_OWN = Pattern.compile("\\b(br-[0-9a-f]{12}|veth[0-9a-f]{7})\\b");

    /**
     * The root namespace as a topology could change it: links, addresses, routes, rules, the nft
     * ruleset (without counters), and the namespaces of topology {@code name}. Tests of other
     * topologies and other builds run beside this one, so only that topology's namespaces count.
     */
    static String rootSnapshot(String name) {
        StringBuilder s = new StringBuilder();
        for (List<String> cmd : List.of(List.of("ip", "-br", "link"), List.of("ip", "-br", "addr"), List.of("ip", "route"),
                List.of("ip", "rule"), List.of("nft", "-s", "list", "ruleset"))) {
            s.append(String.join(" ", cmd)).append('\n').append(Commands.run(cmd).stdout().lines()
                    .filter(l -> !DOCKERS_OWN.matcher(l).find()).collect(Collectors.joining("\n"))).append('\n');
        }
        s.append("ip netns list (").append(NetnsBackend.prefix(name)).append("-*)\n").append(Commands.run(List.of("ip", "netns", "list"))
                .stdout().lines().filter(l -> l.startsWith(NetnsBackend.prefix(name) + "-")).collect(Collectors.joining("\n")));
        return s.toString();
    }

    @Test
    void smallTopologyComesUpChecksPassAndDownLeavesNothing() {
        Topology t = TopologyLoader.load(SMALL).withName(Topology.uniqueName("itsmall"));
        String before = rootSnapshot(t.name());
        RunningTopology topo = NETNS.up(t, HOME, Progress.SILENT);
        List<StateDir.ProcessRecord> procs = List.copyOf(topo.state().ledger().processes);
        try {
            List<CheckResult> results = new Checks(topo).await(Duration.ofSeconds(30));
            assertThat(results).allSatisfy(r -> assertThat(r.passed()).as(r.line()).isTrue());
            assertThat(topo.node("lb").exec("gobgp", "neigh").stdout()).contains("192.168.20.55", "Establ");
            // the seed's commands answer by name in a loxilb node, as in upstream's image
            assertThat(topo.node("lb").exec("sh", "-c", "for c in loxicmd loxilb gobgp gobgpd nft ip; do command -v $c; done").stdout().lines())
                    .hasSize(6);
            assertThat(topo.node("lb").exec("loxicmd", "get", "lb", "-o", "json").stdout()).contains("\"lbAttr\"");
        } finally {
            topo.down();
        }
        assertThat(procs).isNotEmpty().noneMatch(Processes::alive);
        assertThat(StateDir.of(t.name())).doesNotExist();
        assertThat(rootSnapshot(t.name())).isEqualTo(before);
    }

    @Test
    void seedComesUpWithEveryCheckGreenAndDownLeavesTheRootNamespaceAsItWas() {
        Topology t = TopologyLoader.load(HOME.resolve("topologies/seed.yaml")).withName(Topology.uniqueName("itseed"));
        String before = rootSnapshot(t.name());
        RunningTopology topo = NETNS.up(t, HOME, Progress.SILENT);
        try {
            List<CheckResult> results = new Checks(topo).await(Duration.ofSeconds(60));
            assertThat(results).hasSize(7).allSatisfy(r -> assertThat(r.passed()).as(r.line()).isTrue());
        } finally {
            topo.down();
        }
        assertThat(rootSnapshot(t.name())).isEqualTo(before);
    }

    @Test
    void aKilledUpIsSweptByDownAll() throws Exception {
        Path jar = HOME.resolve("harness/target/harness.jar");
        Assumptions.assumeTrue(Files.exists(jar), "harness.jar not built");
        String name = Topology.uniqueName("itswept");
        Process up = new ProcessBuilder("java", "-Dloxiharness.home=" + HOME, "-jar", jar.toString(), "up", SMALL.toString(),
                "--set", "name=" + name).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        Path ledger = StateDir.of(name).resolve("state.json");
        await("up has started daemons").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                .until(() -> Files.exists(ledger) && Files.readString(ledger).contains("\"pid\""));
        List<StateDir.ProcessRecord> procs = StateDir.open(name).ledger().processes;
        up.destroyForcibly().waitFor();
        List<String> removed = Backends.sweep(name, HOME);
        assertThat(removed).contains(name);
        assertThat(Commands.run(List.of("ip", "netns", "list")).stdout()).doesNotContain(NetnsBackend.prefix(name) + "-");
        assertThat(procs).noneMatch(Processes::alive);
        assertThat(StateDir.of(name)).doesNotExist();
    }
}
