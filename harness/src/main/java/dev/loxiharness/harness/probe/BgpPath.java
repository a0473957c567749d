package dev.loxiharness.harness.probe;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One path of {@code gobgp global rib -j}: prefix, next hop, AS path as {@code gobgp} prints it
 * ({@code 64512}, {@code {65002}} for an AS_SET), origin ({@code i}, {@code e}, {@code ?}) and whether
 * it is the best path. {@code neighbor} is empty for local paths.
 */
public record BgpPath(String prefix, String nextHop, String asPath, List<Long> asns, String origin, boolean best,
                      String neighbor) {

    /** Every path of the RIB, by prefix, in gobgp's order. */
    public static Map<String, List<BgpPath>> parse(JsonNode rib) {
        Map<String, List<BgpPath>> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : rib.properties()) {
            List<BgpPath> paths = new ArrayList<>();
            for (JsonNode p : e.getValue()) {
                paths.add(path(e.getKey(), p));
            }
            out.put(e.getKey(), paths);
        }
        return out;
    }

    /** The best path of each prefix (or its first, if gobgp marks none). */
    public static List<BgpPath> best(Map<String, List<BgpPath>> rib) {
        List<BgpPath> out = new ArrayList<>();
        rib.values().forEach(paths -> bestOf(paths).ifPresent(out::add));
        return out;
    }

    /** The best of one prefix's paths (or the first, if gobgp marks none); empty when there are none. */
    public static Optional<BgpPath> bestOf(List<BgpPath> paths) {
        return paths.stream().filter(BgpPath::best).findFirst().or(() -> paths.stream().findFirst());
    }

    private static BgpPath path(String prefix, JsonNode p) {
        String nextHop = "";
        String origin = "";
        List<String> segments = new ArrayList<>();
        List<Long> asns = new ArrayList<>();
        for (JsonNode a : p.path("attrs")) {
            switch (a.path("type").asInt()) {
                case 1 -> origin = switch (a.path("value").asInt()) {
                    case 0 -> "i";
                    case 1 -> "e";
                    default -> "?";
                };
                case 2 -> {
                    for (JsonNode seg : a.path("as_paths")) {
                        List<String> nums = new ArrayList<>();
                        seg.path("asns").forEach(n -> {
                            nums.add(n.asText());
                            asns.add(n.asLong());
                        });
                        segments.add(seg.path("segment_type").asInt() == 1 ? "{" + String.join(",", nums) + "}" : String.join(" ", nums));
                    }
                }
                case 3 -> nextHop = a.path("nexthop").asText();
                case 14 -> nextHop = a.path("nexthop").asText(nextHop);
                default -> { }
            }
        }
        return new BgpPath(prefix, nextHop, String.join(" ", segments), List.copyOf(asns), origin,
                p.path("best").asBoolean(false), p.path("neighbor-ip").asText(""));
    }

    @Override
    public String toString() {
        return prefix + " via " + nextHop + " as-path [" + asPath + "] origin " + origin + (best ? " best" : "");
    }
}
