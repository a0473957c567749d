package dev.loxiharness.harness.probe;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loxiharness.exec.ExecResult;
import dev.loxiharness.harness.backend.Node;
import java.util.List;

/** loxicmd in a loxilb node, by name, as the seed runs it ({@code docker exec loxilb loxicmd get lb}). */
public final class Loxicmd {
    private Loxicmd() {
    }

    /** {@code loxicmd ARGS}, whatever it exits with. */
    public static ExecResult run(Node node, String... args) {
        return node.exec(Node.DEFAULT_TIMEOUT, null, Probe.cmd(List.of("loxicmd"), args));
    }

    /** {@code loxicmd get lb --legacy}: the seed document's table. */
    public static String legacyTable(Node node) {
        return Probe.run(node, List.of("loxicmd", "get", "lb", "--legacy")).stdout();
    }

    /** The rules of {@code loxicmd get lb -o json} ({@code lbAttr}). */
    public static JsonNode rules(Node node) {
        return Probe.json(Probe.run(node, List.of("loxicmd", "get", "lb", "-o", "json")).stdout(), "{}").path("lbAttr");
    }
}
