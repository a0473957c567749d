package dev.loxiharness.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.loxiharness.harness.graph.Diagram;
import dev.loxiharness.harness.graph.DotWriter;
import dev.loxiharness.harness.graph.Graphviz;
import dev.loxiharness.harness.graph.SessionState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The live picture on a real topology ({@code tiny.yaml}: loxilb between a BIRD router and a
 * client, plus one rule whose VIP loxilb advertises): sessions coloured by what gobgpd and BIRD say,
 * the VIP's path as the kernels and loxilb forward it, and both changing under the harness's faults.
 * Colours are read from the SVG that Graphviz drew, as a person would see them.
 */
@Topology("src/test/resources/tiny.yaml")
class TopologyDiagramIT {
    static final String VIP = "123.123.123.15";
    static final Duration CONVERGE = Duration.ofSeconds(30);
    /** Well past the session's 3 s hold time (tiny.yaml). */
    static final Duration HOLD_EXPIRY = Duration.ofSeconds(30);
    static final Pattern EDGE = Pattern.compile("<g id=\"edge\\d+\" class=\"edge\">\\s*<title>(.*?)</title>\\s*<path fill=\"none\" stroke=\"([^\"]+)\"");

    static TopologyHandle topo;

    @BeforeAll
    static void aRuleWhoseVipTheRouterLearns() {
        // the client stands in for a backend: the path ends there
        topo.loxicmd("lb", "create", "lb", VIP, "--tcp=8888:80", "--endpoints=198.51.100.10:1", "--bgp").orThrow();
    }

    @BeforeEach
    void healthy() {
        awaitDiagram("both ends Established and the VIP's path complete", CONVERGE, d -> {
            assertThat(lbRouter(d).state()).isEqualTo(SessionState.ESTABLISHED);
            assertThat(d.paths()).singleElement().satisfies(p -> assertThat(p.broken()).as(p.hops().toString()).isFalse());
        });
    }

    @Test
    void aHealthyTopologyIsGreenWithThePathFromClientThroughRouterAndLoxilb() {
        Diagram d = topo.diagram();

        assertThat(lbRouter(d).ends()).extracting(Diagram.End::node, Diagram.End::said)
                .containsExactly(tuple("lb", "ESTABLISHED"), tuple("router", "Established"));
        assertThat(d.paths().get(0).vip().label()).isEqualTo(VIP + ":8888/tcp");
        assertThat(d.paths().get(0).hops()).extracting(Diagram.Hop::from, Diagram.Hop::to).containsExactly(
                tuple("client", "router"), tuple("router", "lb"), tuple("lb", "client"));
        assertThat(d.paths().get(0).hops().get(1).how()).isEqualTo("route " + VIP + " via 192.168.20.4 proto bird");
        assertThat(strokes(svg(d))).containsEntry("node:router->node:lb", List.of(SessionState.ESTABLISHED.colour(), "#1565c0"));
    }

    @Test
    void aFrozenBirdTurnsItsSessionRedAtOnceAndGreenWhenThawed() {
        topo.fault("router").stop("bird");
        try {
            Diagram d = topo.diagram();
            assertThat(lbRouter(d).state()).isEqualTo(SessionState.DOWN);
            assertThat(lbRouter(d).ends()).extracting(Diagram.End::node, Diagram.End::said)
                    .contains(tuple("router", "birdc: no answer within 4 s"));
            assertThat(strokes(svg(d)).get("node:router->node:lb")).contains(SessionState.DOWN.colour())
                    .doesNotContain(SessionState.ESTABLISHED.colour());
        } finally {
            topo.fault("router").start("bird");
        }
        awaitDiagram("green again", CONVERGE, d -> assertThat(strokes(svg(d)).get("node:router->node:lb"))
                .contains(SessionState.ESTABLISHED.colour()));
    }

    @Test
    void aFrozenGobgpdLosesTheRoutersRouteSoThePathStopsAtTheRouter() {
        topo.fault("lb").stop("gobgpd");
        try {
            Diagram d = awaitDiagram("the router's hold time expired", HOLD_EXPIRY, x ->
                    assertThat(x.paths().get(0).hops()).extracting(Diagram.Hop::from, Diagram.Hop::to, Diagram.Hop::how)
                            .containsExactly(tuple("client", "router", "route default via 198.51.100.1 proto boot"),
                                    tuple("router", null, "no route to " + VIP)));
            assertThat(lbRouter(d).state()).isEqualTo(SessionState.DOWN);
            assertThat(lbRouter(d).ends()).extracting(Diagram.End::node).containsExactly("lb", "router");
            assertThat(lbRouter(d).ends().get(1).state()).as("BIRD gave the session up").isNotEqualTo(SessionState.ESTABLISHED);
            Map<String, List<String>> strokes = strokes(svg(d));
            assertThat(strokes.get("node:router->nowhere:0:router")).containsExactly(SessionState.DOWN.colour());
            assertThat(strokes.get("node:router->node:lb")).containsExactly(SessionState.DOWN.colour());
        } finally {
            topo.fault("lb").start("gobgpd");
        }
    }

    private static Diagram.Session lbRouter(Diagram d) {
        return d.sessions().stream().filter(s -> s.from().equals("lb") && s.to().equals("router")).findFirst().orElseThrow();
    }

    private static String svg(Diagram d) {
        return Graphviz.svg(DotWriter.write(d));
    }

    /** Each edge of the SVG by its title ({@code node:a->node:b}) with the stroke colours of the edges so named, in order. */
    static Map<String, List<String>> strokes(String svg) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        Matcher m = EDGE.matcher(svg);
        while (m.find()) {
            String title = m.group(1).replace("&#45;", "-").replace("&gt;", ">");
            out.computeIfAbsent(title, k -> new ArrayList<>()).add(m.group(2));
        }
        return out;
    }

    /** Polls the diagram until {@code check} passes; on timeout the failure shows the last summary seen. */
    private static Diagram awaitDiagram(String what, Duration budget, Consumer<Diagram> check) {
        AtomicReference<Diagram> last = new AtomicReference<>();
        try {
            await(what).atMost(budget).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                Diagram d = topo.diagram();
                last.set(d);
                check.accept(d);
            });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(what + ": not within " + budget.toSeconds() + " s; last seen:\n"
                    + (last.get() == null ? "nothing" : last.get().summary()), e);
        }
        return last.get();
    }
}
