package dev.loxiharness.harness.probe;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loxiharness.harness.backend.Node;
import java.util.List;
import java.util.Map;

/** The GoBGP CLI in a loxilb node (gRPC to the gobgpd loxilb runs): sessions and the RIB. */
public final class Gobgp {
    private Gobgp() {
    }

    /** {@code gobgp ARGS -j}, parsed. */
    public static JsonNode json(Node node, String... args) {
        List<String> cmd = Probe.cmd(List.of("gobgp"), args);
        cmd.add("-j");
        return Probe.json(Probe.run(node, cmd).stdout(), "{}");
    }

    /** {@code gobgp neighbor -j}: the node's BGP sessions. */
    public static List<BgpNeighbor> neighbors(Node node) {
        return BgpNeighbor.parse(json(node, "neighbor"));
    }

    /** {@code gobgp global rib -a ipv4 -j}: every path of the RIB, by prefix. */
    public static Map<String, List<BgpPath>> rib(Node node) {
        return BgpPath.parse(json(node, "global", "rib", "-a", "ipv4"));
    }
}
