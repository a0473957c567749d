package dev.loxiharness.harness.cli;

import dev.loxiharness.exec.Host;
import dev.loxiharness.harness.backend.Backends;
import dev.loxiharness.harness.graph.Diagram;
import dev.loxiharness.harness.graph.DotWriter;
import dev.loxiharness.harness.graph.Graphviz;
import dev.loxiharness.harness.graph.HtmlPage;
import dev.loxiharness.harness.graph.TopologyGraph;
import dev.loxiharness.harness.model.TopologyLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./topology graph}: the picture of a running topology, or of a file before {@code up}. */
@Command(name = "graph", mixinStandardHelpOptions = true,
        description = {"Draw a topology: networks, nodes (roles, addresses, AS, containers), every BGP session coloured by its",
            "state, and each VIP's packet path from the client through the router and loxilb to the node and the pod.",
            "Of a running topology (NAME, default: the only one up; needs root) the states and paths are what its gobgpd,",
            "BIRDs, kernels, loxilbs and kubectl say now; of a file (a path ending in .yaml) they are what the file plans,",
            "and nothing is made (no root needed). Sessions: green Established, amber Active/Connect/OpenSent,",
            "red Idle/down/no answer, grey dashed not running, grey dotted one-sided; a hop that goes nowhere ends in a red note.",
            "Prints a summary and writes the picture (Graphviz's dot renders it; nothing is fetched to view it).",
            "Exit code 0; 1 when it cannot be drawn; 2 when the file is rejected."})
final class GraphCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME|FILE",
            description = "a running topology's name (default: the only one up), or a topology file (*.yaml, or any path with a /)")
    String target;
    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "FILE.svg, FILE.html (a page with the SVG inline, self-contained) or FILE.dot (default: NAME.svg here)")
    Path output;

    @Override
    public Integer call() throws IOException {
        Diagram d = diagram();
        Path file = output != null ? output : Path.of(d.topology().name() + ".svg");
        String name = file.getFileName().toString();
        String dot = DotWriter.write(d);
        String content;
        if (name.endsWith(".dot")) {
            content = dot;
        } else if (name.endsWith(".svg")) {
            content = Graphviz.svg(dot);
        } else if (name.endsWith(".html")) {
            content = HtmlPage.of(d.title(), Graphviz.svg(dot));
        } else {
            throw new IllegalArgumentException("-o " + file + ": write a .svg, .html or .dot file");
        }
        if (file.toAbsolutePath().getParent() != null) {
            Files.createDirectories(file.toAbsolutePath().getParent());
        }
        Files.writeString(file, content);
        System.out.print(d.summary());
        System.out.println("wrote " + file + (name.endsWith(".dot") ? " (render it with: dot -Tsvg " + file + ")" : " (open it in a browser)"));
        return 0;
    }

    private Diagram diagram() {
        if (target != null && (target.endsWith(".yaml") || target.endsWith(".yml") || target.contains("/"))) {
            return TopologyGraph.planned(TopologyLoader.load(Path.of(target)));
        }
        String name = TopologyMain.resolve(target);
        if (!Host.isRoot()) {
            throw new IllegalArgumentException("drawing running topology " + name + " asks its daemons inside its namespaces: run it as root "
                    + "(./topology graph FILE draws a file as anyone)");
        }
        return TopologyGraph.observed(Backends.attach(name, TopologyMain.HOME));
    }
}
