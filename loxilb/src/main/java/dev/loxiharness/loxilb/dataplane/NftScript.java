package dev.loxiharness.loxilb.dataplane;

import java.util.Map;

/**
 * A rendered nftables transaction and what the renderer must remember once it went through: the
 * shapes (pick chain -> shape number) it makes, and whether it replaces the whole table.
 */
public record NftScript(String text, Map<String, Integer> newShapes, boolean replacesTable) {

    public NftScript {
        newShapes = Map.copyOf(newShapes);
    }

    public boolean isEmpty() {
        return text.isEmpty();
    }
}
