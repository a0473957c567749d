package dev.loxiharness.loxilb.dataplane;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loxiharness.loxilb.rules.Change;
import dev.loxiharness.loxilb.rules.ServicePlan;
import dev.loxiharness.loxilb.wire.Json;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The data plane on nftables: one table, each call one transaction through libnftables. */
public final class NftDataplane implements Dataplane {
    private final Nft nft;
    private final NftRenderer renderer;

    public NftDataplane(Nft nft, String table) {
        this.nft = nft;
        this.renderer = new NftRenderer(table);
    }

    @Override
    public void reset(List<ServicePlan> services) {
        NftScript script = renderer.reset(services);
        nft.apply(script.text());
        renderer.committed(script);
    }

    @Override
    public void apply(List<Change> changes) {
        NftScript script = renderer.apply(changes);
        if (!script.isEmpty()) {
            nft.apply(script.text());
            renderer.committed(script);
        }
    }

    @Override
    public Map<Long, Map<String, String>> counters() {
        Map<Long, Map<String, String>> out = new HashMap<>();
        try {
            JsonNode root = Json.MAPPER.readTree(
                    nft.queryJson("list set ip " + renderer.table() + " epstats"));
            for (JsonNode item : root.path("nftables")) {
                for (JsonNode e : item.path("set").path("elem")) {
                    JsonNode elem = e.path("elem");
                    JsonNode key = elem.path("val").path("concat");
                    if (key.size() != 3) {
                        continue;
                    }
                    JsonNode c = elem.path("counter");
                    // a rule whose shape changed counts its older connections under its former mark
                    out.computeIfAbsent(NftRenderer.ruleId(key.get(0).asLong()), k -> new HashMap<>())
                            .merge(key.get(1).asText() + ":" + key.get(2).asText(),
                                    c.path("packets").asLong() + ":" + c.path("bytes").asLong(), NftDataplane::sum);
                }
            }
        } catch (RuntimeException | IOException e) {
            // no counters is better than no answer: GET shows 0:0
        }
        return out;
    }

    private static String sum(String a, String b) {
        String[] x = a.split(":");
        String[] y = b.split(":");
        return (Long.parseLong(x[0]) + Long.parseLong(y[0])) + ":" + (Long.parseLong(x[1]) + Long.parseLong(y[1]));
    }

    @Override
    public void close() {
        try {
            nft.apply(renderer.deleteTable());
        } finally {
            nft.close();
        }
    }
}
