package dev.loxiharness.harness.probe;

import dev.loxiharness.harness.backend.Node;
import dev.loxiharness.harness.roles.Bird;
import java.util.List;

/** BIRD's CLI against the BIRD a role started in the node (its control socket where the node keeps it). */
public final class Birdc {
    private Birdc() {
    }

    /** The argv of {@code birdc ARGS} in {@code node}. */
    public static List<String> argv(Node node, String... args) {
        return Probe.cmd(List.of("birdc", "-s", node.path(Bird.SOCKET)), args);
    }

    /** {@code birdc ARGS}: its output. */
    public static String run(Node node, String... args) {
        return Probe.run(node, argv(node, args)).stdout();
    }

    /** {@code birdc show protocols}, parsed. */
    public static List<BirdProtocol> protocols(Node node) {
        return BirdProtocol.parse(run(node, "show", "protocols"));
    }

    /** Whether a BIRD runs in the node (a role started one: its socket is there). */
    public static boolean present(Node node) {
        return node.exec("test", "-S", node.path(Bird.SOCKET)).ok();
    }
}
