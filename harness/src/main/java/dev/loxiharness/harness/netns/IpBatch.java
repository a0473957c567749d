package dev.loxiharness.harness.netns;

import dev.loxiharness.exec.Commands;
import java.time.Duration;
import java.util.List;

/** Many {@code ip} commands for one namespace in one process ({@code ip -n NS -batch -}). */
final class IpBatch {
    private final String namespace;
    private final StringBuilder lines = new StringBuilder();

    IpBatch(String namespace) {
        this.namespace = namespace;
    }

    IpBatch add(String line) {
        lines.append(line).append('\n');
        return this;
    }

    void run() {
        if (lines.length() == 0) {
            return;
        }
        Commands.run(List.of("ip", "-n", namespace, "-batch", "-"), lines.toString(), Duration.ofSeconds(30)).orThrow();
        lines.setLength(0);
    }
}
