package dev.loxiharness.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loxiharness.harness.graph.Graphviz;
import dev.loxiharness.harness.state.StateDir;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./topology graph FILE}: draws a file before {@code up}, makes nothing, writes what -o asks for. */
class GraphCommandTest {
    static final String SEED = PlanCommandTest.HOME.resolve("topologies/seed.yaml").toString();

    @Test
    void aFileIsDrawnAsPlannedAndNothingIsMade(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("seed.dot");
        PlanCommandTest.Run r = PlanCommandTest.run("graph", SEED, "-o", out.toString());
        assertThat(r.rc()).as(r.err()).isZero();
        assertThat(r.out()).contains("topology seed: file seed.yaml", "lb <-> router", "eBGP 65002-64001", "expected Established",
                "node2 -> lb", "one-sided, not expected to establish", "VIP 123.123.123.15:8888/tcp (default/nginx-service)",
                "router -> lb", "BGP route 123.123.123.15/32 via 192.168.20.4", "wrote " + out);
        assertThat(out).content().startsWith("digraph \"seed\" {");
        assertThat(StateDir.all()).doesNotContain("seed");
    }

    @Test
    void anHtmlPageHoldsTheSvgInlineAndNothingFromElsewhere(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Graphviz.whyNot().isEmpty(), () -> Graphviz.whyNot().orElse(""));
        Path out = dir.resolve("sub/seed.html");
        PlanCommandTest.Run r = PlanCommandTest.run("graph", SEED, "-o", out.toString());
        assertThat(r.rc()).as(r.err()).isZero();
        String page = Files.readString(out);
        assertThat(page).startsWith("<!DOCTYPE html>").contains("<svg", "</svg>", ">client</text>").doesNotContain("<?xml", "<script");
        assertThat(page.replace("xmlns=\"http://www.w3.org/2000/svg\"", "").replace("xmlns:xlink=\"http://www.w3.org/1999/xlink\"", ""))
                .as("no address to fetch anything from").doesNotContain("http:", "https:", "src=");
    }

    @Test
    void anSvgIsWhatGraphvizDrew(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Graphviz.whyNot().isEmpty(), () -> Graphviz.whyNot().orElse(""));
        Path out = dir.resolve("ha.svg");
        PlanCommandTest.Run r = PlanCommandTest.run("graph", PlanCommandTest.HOME.resolve("topologies/ha.yaml").toString(), "-o", out.toString());
        assertThat(r.rc()).as(r.err()).isZero();
        assertThat(out).content().contains("<svg", ">lb1</text>", ">lb2</text>");
    }

    @Test
    void anUnknownFormatIsRefused(@TempDir Path dir) {
        PlanCommandTest.Run r = PlanCommandTest.run("graph", SEED, "-o", dir.resolve("seed.png").toString());
        assertThat(r.rc()).isEqualTo(1);
        assertThat(r.err()).contains("write a .svg, .html or .dot file");
        assertThat(dir.resolve("seed.png")).doesNotExist();
    }

    @Test
    void aRejectedFileExitsWithTheLoadersMessage(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, Files.readString(Path.of(SEED)).replace("network: clientnet, address: 198.51.100.10",
                "network: clinet, address: 198.51.100.10"));
        PlanCommandTest.Run r = PlanCommandTest.run("graph", bad.toString(), "-o", dir.resolve("x.dot").toString());
        assertThat(r.rc()).isEqualTo(2);
        assertThat(r.err()).contains("unknown network \"clinet\"");
    }
}
