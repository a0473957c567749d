package dev.loxiharness.junit;

import dev.loxiharness.harness.graph.DotWriter;
import dev.loxiharness.harness.graph.Graphviz;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The picture of a running topology that goes into each test's report ({@code ./topology graph}'s
 * SVG, drawn from what the daemons say at that moment), and how long it took. Never throws: without
 * Graphviz, or when drawing fails, there is no picture and one line says why.
 */
record TopologyPicture(String svg, Duration took) {
    private static final AtomicBoolean SAID_WHY_NOT = new AtomicBoolean();

    static Optional<TopologyPicture> take(TopologyHandle topo) {
        Optional<String> whyNot = Graphviz.whyNot();
        if (whyNot.isPresent()) {
            if (SAID_WHY_NOT.compareAndSet(false, true)) {
                System.err.println("topology pictures are not attached to the report: " + whyNot.get());
            }
            return Optional.empty();
        }
        long start = System.nanoTime();
        try {
            String svg = Graphviz.svg(DotWriter.write(topo.diagram()));
            return Optional.of(new TopologyPicture(svg, Duration.ofNanos(System.nanoTime() - start)));
        } catch (Throwable t) {
            System.err.println("the picture of " + topo + " could not be drawn: " + t);
            return Optional.empty();
        }
    }

    /** {@code 0.42 s}: what drawing it cost, shown beside its name in the report. */
    String cost() {
        return String.format("%.2f s", took.toMillis() / 1000.0);
    }
}
