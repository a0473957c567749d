package dev.loxiharness.harness.probe;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loxiharness.harness.backend.Node;
import java.util.List;

/** nftables in a node. */
public final class Nft {
    private Nft() {
    }

    /** {@code nft -j list ruleset}: its {@code nftables} array. */
    public static JsonNode ruleset(Node node) {
        return Probe.json(Probe.run(node, List.of("nft", "-j", "list", "ruleset")).stdout(), "{}").path("nftables");
    }
}
