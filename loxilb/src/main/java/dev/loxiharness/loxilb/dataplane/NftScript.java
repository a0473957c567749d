package dev.loxiharness.loxilb.dataplane;

import java.util.Set;

/**
 * A rendered nftables transaction and what the renderer must remember once it went through: the
 * shared selection chains it creates, and whether it replaces the whole table.
 */
public record NftScript(String text, Set<String> newPickChains, boolean replacesTable) {

    public NftScript {
        newPickChains = Set.copyOf(newPickChains);
    }

    public boolean isEmpty() {
        return text.isEmpty();
    }
}
