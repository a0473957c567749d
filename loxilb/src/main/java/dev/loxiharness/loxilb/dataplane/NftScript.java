package dev.loxiharness.loxilb.dataplane;

import java.util.Map;
import java.util.Set;

/**
 * A rendered nftables transaction and what the renderer must remember once it went through: the
 * shapes (pick chain -> shape number) it makes, the pick chains it removes to give their unused
 * shape to another, how many more or fewer rules go through each pick chain, and whether it
 * replaces the whole table.
 */
public record NftScript(String text, Map<String, Integer> newShapes, Set<String> retiredShapes, Map<String, Integer> userDeltas,
                        boolean replacesTable) {

    public NftScript {
        newShapes = Map.copyOf(newShapes);
        retiredShapes = Set.copyOf(retiredShapes);
        userDeltas = Map.copyOf(userDeltas);
    }

    public boolean isEmpty() {
        return text.isEmpty();
    }
}
