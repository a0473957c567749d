package dev.loxiharness.harness.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.loxiharness.harness.model.Topology;
import dev.loxiharness.harness.model.TopologyLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The picture of topology files before {@code up}: nodes, AS numbers, sessions, the VIP's path, as DOT that Graphviz takes. */
class TopologyGraphTest {
    static final Path HOME = Path.of(System.getProperty("loxiharness.home", "..")).toAbsolutePath().normalize();
    static final String PATH = DotWriter.PATH_COLOURS.get(0);
    static final String GREY = SessionState.UNKNOWN.colour();

    static Topology load(String file, Map<String, String> set) {
        return TopologyLoader.load(HOME.resolve("topologies").resolve(file), set);
    }

    @Test
    void theSeedShowsEveryNodeNetworkAndAsAndItsSessionsAsNotRunning() {
        Diagram d = TopologyGraph.planned(load("seed.yaml", Map.of()));
        DotEdges dot = DotEdges.parse(DotWriter.write(d));

        assertThat(dot.nodes()).containsKeys("node:node1", "node:node2", "node:lb", "node:router", "node:client",
                "net:k8snet", "net:llbnet", "net:clientnet", "pod/default/nginx");
        assertThat(dot.nodes().get("net:k8snet").get("label")).contains("<B>k8snet</B>", "192.168.57.0/24");
        assertThat(dot.nodes().get("node:lb").get("label")).contains("<B>lb</B>", "loxilb &#183; AS 65002", "eth0 192.168.20.4/24",
                "eth1 192.168.57.4/24", "lo 172.1.0.2/32").doesNotContain("container");
        assertThat(dot.nodes().get("node:router").get("label")).contains("AS 64001", "eth1 198.51.100.1/24");
        assertThat(dot.nodes().get("node:node1").get("label")).contains("control-plane, calico-node, kube-proxy &#183; AS 64512");
        assertThat(dot.nodes().get("node:client").get("label")).doesNotContain("AS ");
        assertThat(d.asNumbers()).containsExactlyInAnyOrderEntriesOf(Map.of("node1", 64512L, "node2", 64512L, "lb", 65002L, "router", 64001L));

        // each interface on its network
        assertThat(dot.between("node:lb", "net:llbnet")).extracting(e -> e.attr("label")).containsExactly("eth0");
        assertThat(dot.between("node:lb", "net:k8snet")).extracting(e -> e.attr("label")).containsExactly("eth1");

        // the sessions, grey and dashed: nothing runs
        assertThat(dot.between("node:lb", "node:router")).filteredOn(e -> e.attr("label").startsWith("eBGP"))
                .extracting(e -> e.attr("label"), e -> e.attr("color"), e -> e.attr("style"))
                .containsExactly(tuple("eBGP 65002-64001", GREY, "dashed"));
        assertThat(dot.between("node:node1", "node:lb")).filteredOn(e -> e.attr("label").startsWith("eBGP"))
                .extracting(e -> e.attr("label"), e -> e.attr("style")).containsExactly(tuple("eBGP 64512-65002", "dashed"));
        assertThat(dot.between("node:node1", "node:node2")).extracting(e -> e.attr("label"), e -> e.attr("constraint"))
                .containsExactly(tuple("iBGP 64512", "false"));
        assertThat(dot.between("node:node2", "node:lb")).filteredOn(e -> e.attr("label").startsWith("eBGP"))
                .extracting(e -> e.attr("label"), e -> e.attr("style")).containsExactly(tuple("eBGP 64512-65002 one-sided", "dotted"));
        assertThat(d.sessions()).extracting(Diagram.Session::state).containsOnly(SessionState.UNKNOWN);
    }

    @Test
    void theSeedsVipPathGoesFromTheClientThroughRouterAndLoxilbToBothNodesAndThePod() {
        DotEdges dot = DotEdges.parse(DotWriter.write(TopologyGraph.planned(load("seed.yaml", Map.of()))));

        assertThat(dot.arrows("node:client", "node:router", PATH)).singleElement().extracting(e -> e.attr("label"))
                .isEqualTo("VIP 123.123.123.15:8888/tcp (default/nginx-service)\nroute default via 198.51.100.1");
        assertThat(dot.arrows("node:router", "node:lb", PATH)).extracting(e -> e.attr("label"))
                .containsExactly("BGP route 123.123.123.15/32 via 192.168.20.4");
        assertThat(dot.arrows("node:lb", "node:node1", PATH)).extracting(e -> e.attr("label")).containsExactly("DNAT to 192.168.57.101:NodePort");
        assertThat(dot.arrows("node:lb", "node:node2", PATH)).extracting(e -> e.attr("label")).containsExactly("DNAT to 192.168.57.102:NodePort");
        assertThat(dot.arrows("node:node1", "pod/default/nginx", PATH)).hasSize(1);
        assertThat(dot.arrows("node:node2", "pod/default/nginx", PATH)).hasSize(1);
        assertThat(dot.edges()).filteredOn(e -> e.attr("color").equals(PATH)).hasSize(6);
    }

    @Test
    void haHasTwoLoxilbsInEcmpEachWithItsSessionsAndPaths() {
        Diagram d = TopologyGraph.planned(load("ha.yaml", Map.of()));
        DotEdges dot = DotEdges.parse(DotWriter.write(d));

        assertThat(d.names()).containsExactly("node1", "node2", "lb1", "lb2", "router", "client", "pod/default/nginx");
        assertThat(dot.nodes().get("node:lb2").get("label")).contains("AS 65002", "eth0 192.168.20.5/24", "lo 172.1.0.3/32");
        assertThat(d.sessions()).extracting(s -> s.from() + (s.expected() ? " <-> " : " -> ") + s.to(), Diagram.Session::kind)
                .containsExactly(tuple("node1 <-> node2", "iBGP 64512"), tuple("node1 <-> lb1", "eBGP 64512-65002"),
                        tuple("node1 <-> lb2", "eBGP 64512-65002"), tuple("node2 -> lb1", "eBGP 64512-65002"),
                        tuple("node2 -> lb2", "eBGP 64512-65002"), tuple("lb1 <-> router", "eBGP 65002-64001"),
                        tuple("lb2 <-> router", "eBGP 65002-64001"));
        for (String lb : List.of("lb1", "lb2")) {
            assertThat(dot.between("node:" + lb, "node:router")).filteredOn(e -> e.attr("label").startsWith("eBGP")).hasSize(1);
            assertThat(dot.arrows("node:router", "node:" + lb, PATH)).hasSize(1);
            assertThat(dot.arrows("node:" + lb, "node:node1", PATH)).hasSize(1);
            assertThat(dot.arrows("node:" + lb, "node:node2", PATH)).hasSize(1);
        }
        assertThat(dot.arrows("node:router", "node:lb1", PATH).get(0).attr("label")).isEqualTo("BGP route 123.123.123.15/32 via 192.168.20.4");
        assertThat(dot.arrows("node:router", "node:lb2", PATH).get(0).attr("label")).isEqualTo("BGP route 123.123.123.15/32 via 192.168.20.5");
    }

    @Test
    void withoutBgpNorAStaticRouteThePathStopsAtTheRouterInARedNote() {
        Diagram d = TopologyGraph.planned(load("seed.yaml", Map.of("loadBalancer.controller.setBGP", "false")));
        DotEdges dot = DotEdges.parse(DotWriter.write(d));

        assertThat(d.paths()).singleElement().satisfies(p -> assertThat(p.broken()).isTrue());
        assertThat(dot.nodes()).containsKey("nowhere:0:router");
        assertThat(dot.nodes().get("nowhere:0:router").get("label")).isEqualTo("no route to 123.123.123.15");
        assertThat(dot.arrows("node:router", "nowhere:0:router", SessionState.DOWN.colour())).hasSize(1);
        assertThat(dot.edges()).noneMatch(e -> e.joins("node:router", "node:lb") && e.attr("color").equals(PATH));
    }

    @Test
    void seedL2FollowsTheRoutersStaticRoute() {
        DotEdges dot = DotEdges.parse(DotWriter.write(TopologyGraph.planned(load("seed-l2.yaml", Map.of()))));
        assertThat(dot.arrows("node:router", "node:lb", PATH)).extracting(e -> e.attr("label"))
                .containsExactly("route 123.123.123.0/24 via 192.168.20.4");
    }

    @Test
    void aContainerNodeIsMarked() {
        DotEdges dot = DotEdges.parse(DotWriter.write(TopologyGraph.planned(load("seed-docker.yaml", Map.of()))));
        assertThat(dot.nodes().get("node:lb").get("label")).contains("container loxilb (loxiharness/loxilb)");
        assertThat(dot.nodes().get("node:router").get("label")).doesNotContain("container");
    }

    @Test
    void graphvizRendersItAndNamesEveryNode() {
        Assumptions.assumeTrue(Graphviz.whyNot().isEmpty(), () -> Graphviz.whyNot().orElse(""));
        Diagram d = TopologyGraph.planned(load("ha.yaml", Map.of()));
        String svg = Graphviz.svg(DotWriter.write(d));
        assertThat(svg).contains("<svg");
        for (String name : d.names()) {
            assertThat(svg).contains(">" + name + "</text>");
        }
    }

    @Test
    void statesAreReadFromBothSpeakersWords() {
        assertThat(List.of("ESTABLISHED", "Established", "ACTIVE", "Active Socket: Connection refused", "Connect", "OPENSENT",
                "IDLE", "Idle", "", "down"))
                .extracting(SessionState::of)
                .containsExactly(SessionState.ESTABLISHED, SessionState.ESTABLISHED, SessionState.CONNECTING, SessionState.CONNECTING,
                        SessionState.CONNECTING, SessionState.CONNECTING, SessionState.DOWN, SessionState.DOWN, SessionState.DOWN,
                        SessionState.DOWN);
        assertThat(SessionState.ESTABLISHED.worse(SessionState.CONNECTING)).isEqualTo(SessionState.CONNECTING);
        assertThat(SessionState.DOWN.worse(SessionState.ESTABLISHED)).isEqualTo(SessionState.DOWN);
        assertThat(SessionState.UNKNOWN.worse(SessionState.ESTABLISHED)).isEqualTo(SessionState.ESTABLISHED);
        assertThat(SessionState.UNKNOWN.worse(SessionState.UNKNOWN)).isEqualTo(SessionState.UNKNOWN);
    }
}
