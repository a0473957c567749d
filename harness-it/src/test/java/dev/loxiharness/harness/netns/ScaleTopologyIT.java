package dev.loxiharness.harness.netns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loxiharness.console.Progress;
import dev.loxiharness.harness.backend.Backend;
import dev.loxiharness.harness.backend.Backends;

import dev.loxiharness.harness.backend.RunningTopology;
import dev.loxiharness.harness.check.CheckResult;
import dev.loxiharness.harness.check.Checks;
import dev.loxiharness.harness.model.Topology;
import dev.loxiharness.harness.model.TopologyLoader;
import dev.loxiharness.netns.Lab;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * scale.yaml made small ({@code --set} 20 copies of its Service): the Services come from the copied
 * manifest, and the load-balancers check sees every VIP answer, then names what is missing when a
 * Service goes and what does not answer when loxilb's outside link is cut.
 */
class ScaleTopologyIT {
    static final Path HOME = NetnsBackendIT.HOME;
    static final Backend NETNS = Backends.named("netns");
    static final int SERVICES = 20;

    @BeforeAll
    static void needsRoot() {
        Assumptions.assumeTrue(Lab.usable(), "needs root with ip, nft, nginx, curl, bird2 and gobgpd (bin/install-packages)");
    }

    @Test
    void everyCopiedServiceGetsAVipThatAnswersAndTheCheckNamesWhatIsMissing() throws Exception {
        Topology t = TopologyLoader.load(HOME.resolve("topologies/scale.yaml"), Map.of(
                "kubernetes.manifests[2].copies", String.valueOf(SERVICES), "checks[3].count", String.valueOf(SERVICES))).withUniqueName();
        Topology.Check all = t.checks().get(3);
        RunningTopology topo = NETNS.up(t, HOME, Progress.SILENT);
        try {
            List<CheckResult> results = new Checks(topo).await(Duration.ofSeconds(120));
            assertThat(results).allSatisfy(r -> assertThat(r.passed()).as(r.line()).isTrue());
            assertThat(results.get(3).seen()).startsWith(SERVICES + " LoadBalancer Services (expected " + SERVICES + "), " + SERVICES
                    + " with an EXTERNAL-IP (" + SERVICES + " distinct); " + SERVICES + " of " + SERVICES + " VIP:port answered 200 from client");
            Path expanded = topo.state().dir().resolve("scale-services-x" + SERVICES + ".yaml");
            assertThat(Files.readString(expanded)).contains("name: scale-1\n", "name: scale-" + SERVICES + "\n").doesNotContain("${i}");

            assertThat(topo.kubectl().run("delete", "svc", "scale-7").ok()).isTrue();
            CheckResult oneGone = new Checks(topo).run(all);
            assertThat(oneGone.passed()).as(oneGone.line()).isFalse();
            assertThat(oneGone.seen()).startsWith((SERVICES - 1) + " LoadBalancer Services (expected " + SERVICES + ")");

            assertThat(topo.node("lb").exec("ip", "link", "set", "eth0", "down").ok()).isTrue();
            CheckResult cut = new Checks(topo).run(all);
            assertThat(cut.passed()).as(cut.line()).isFalse();
            assertThat(cut.seen()).contains("0 of " + (SERVICES - 1) + " VIP:port answered 200", "-> no response", "and "
                    + (SERVICES - 6) + " more");
        } finally {
            topo.down();
        }
    }
}
