package dev.loxiharness.loxilb.dataplane;

import dev.loxiharness.loxilb.rules.Change;
import dev.loxiharness.loxilb.rules.ServicePlan;
import java.util.List;

/** The data plane on nftables: one table, each call one {@code nft -f} transaction. */
public final class NftDataplane implements Dataplane {
    private final Nft nft;
    private final NftRenderer renderer;

    public NftDataplane(Nft nft, String table) {
        this.nft = nft;
        this.renderer = new NftRenderer(table);
    }

    @Override
    public void reset(List<ServicePlan> services) {
        nft.apply(renderer.reset(services));
    }

    @Override
    public void apply(List<Change> changes) {
        String script = renderer.apply(changes);
        if (!script.isEmpty()) {
            nft.apply(script);
        }
    }

    @Override
    public void close() {
        nft.apply(renderer.deleteTable());
    }
}
