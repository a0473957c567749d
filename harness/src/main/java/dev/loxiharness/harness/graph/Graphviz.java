package dev.loxiharness.harness.graph;

import dev.loxiharness.exec.Commands;
import dev.loxiharness.exec.ExecResult;
import dev.loxiharness.exec.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Graphviz's {@code dot} (Debian package {@code graphviz}): DOT text in, SVG out, on this machine, nothing fetched. */
public final class Graphviz {
    static final Duration TIMEOUT = Duration.ofSeconds(20);

    private Graphviz() {
    }

    /** Empty when {@code dot} is installed; otherwise why not and how to get it. */
    public static Optional<String> whyNot() {
        return Paths.onPath("dot") ? Optional.empty()
                : Optional.of("Graphviz's dot is not installed (apt-get install graphviz, or bin/install-packages)");
    }

    /** The SVG of {@code dot}; throws with dot's message when it refuses the text. */
    public static String svg(String dot) {
        whyNot().ifPresent(why -> {
            throw new IllegalStateException(why);
        });
        ExecResult r = Commands.run(List.of("dot", "-Tsvg"), dot, TIMEOUT);
        if (!r.ok()) {
            throw new IllegalStateException("dot -Tsvg failed: " + r);
        }
        return r.stdout();
    }
}
