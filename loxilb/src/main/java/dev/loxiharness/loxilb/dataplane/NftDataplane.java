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
    public java.util.Map<Long, java.util.Map<String, String>> counters() {
        java.util.Map<Long, java.util.Map<String, String>> out = new java.util.HashMap<>();
        try {
            com.fasterxml.jackson.databind.JsonNode root = dev.loxiharness.loxilb.wire.Json.MAPPER.readTree(
                    nft.query("-j", "list", "set", "ip", renderer.table(), "epstats"));
            for (com.fasterxml.jackson.databind.JsonNode item : root.path("nftables")) {
                for (com.fasterxml.jackson.databind.JsonNode e : item.path("set").path("elem")) {
                    com.fasterxml.jackson.databind.JsonNode elem = e.path("elem");
                    com.fasterxml.jackson.databind.JsonNode key = elem.path("val").path("concat");
                    if (key.size() != 3) {
                        continue;
                    }
                    com.fasterxml.jackson.databind.JsonNode c = elem.path("counter");
                    out.computeIfAbsent(key.get(0).asLong(), k -> new java.util.HashMap<>())
                            .put(key.get(1).asText() + ":" + key.get(2).asText(),
                                    c.path("packets").asLong() + ":" + c.path("bytes").asLong());
                }
            }
        } catch (RuntimeException | java.io.IOException e) {
            // no counters is better than no answer: GET shows 0:0
        }
        return out;
    }

    @Override
    public void close() {
        nft.apply(renderer.deleteTable());
    }
}
