package dev.loxiharness.loxilb.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loxiharness.loxilb.wire.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Whether the rule table the API shows ({@code GET /config/loadbalancer/all}) and the nftables
 * ruleset in the daemon's namespace say the same thing: the same service keys in {@code svcs} /
 * {@code svcranges}, each with a verdict for its mark ({@code picks}, {@code owners}), and behind
 * each the same endpoints in {@code eps} / {@code eps_udp} / {@code eps_sctp} / {@code epaddrs}.
 * Read from nft's JSON independently of the renderer, so a renderer bug cannot hide itself here.
 */
final class RuleTableVsNft {
    private RuleTableVsNft() {
    }

    /** What differs, one line each; empty when both agree. */
    static List<String> differences(RelayedDaemon d) {
        RelayedDaemon.Answer all = d.send("GET", "/netlox/v1/config/loadbalancer/all", null);
        if (all.status() != 200) {
            return List.of("GET /config/loadbalancer/all answered " + all.status() + ": " + all.body());
        }
        Map<String, Set<String>> api = fromApi(read(all.body()));
        Map<String, Set<String>> nft = fromNft(d);
        List<String> out = new ArrayList<>();
        for (String k : union(api.keySet(), nft.keySet())) {
            if (!api.containsKey(k)) {
                out.add("nft has " + k + " -> " + nft.get(k) + ", the API has no such rule");
            } else if (!nft.containsKey(k)) {
                out.add("the API has " + k + " -> " + api.get(k) + ", nft has no such service");
            } else if (!api.get(k).equals(nft.get(k))) {
                out.add(k + ": the API says " + api.get(k) + ", nft says " + nft.get(k));
            }
        }
        return out;
    }

    /** Service key -> the endpoints that should hold slots (as the renderer's contract says, not its code). */
    private static Map<String, Set<String>> fromApi(JsonNode root) {
        Map<String, Set<String>> out = new TreeMap<>();
        for (JsonNode r : root.path("lbAttr")) {
            JsonNode a = r.path("serviceArguments");
            int port = a.path("port").asInt();
            int portMax = a.path("portMax").asInt(0);
            boolean range = portMax != 0 && portMax != port;
            String key = a.path("externalIP").asText() + " " + a.path("protocol").asText() + " "
                    + (range ? port + "-" + portMax : String.valueOf(port));
            boolean priority = a.path("sel").asInt() == 2;
            boolean anyWeight = false;
            for (JsonNode e : r.path("endpoints")) {
                anyWeight |= "active".equals(e.path("state").asText()) && e.path("weight").asInt() > 0;
            }
            Set<String> eps = new TreeSet<>();
            for (JsonNode e : r.path("endpoints")) {
                boolean slotted = !priority || !anyWeight || e.path("weight").asInt() > 0;
                if ("active".equals(e.path("state").asText()) && slotted) {
                    eps.add(e.path("endpointIP").asText() + (range ? "" : ":" + e.path("targetPort").asInt()));
                }
            }
            if (out.put(key, eps) != null) {
                out.put(key + " (twice in the API)", eps);
            }
        }
        return out;
    }

    private static Map<String, Set<String>> fromNft(RelayedDaemon d) {
        Map<Long, Set<String>> slots = new TreeMap<>();
        for (String map : List.of("eps", "eps_udp", "eps_sctp", "epaddrs")) {
            for (JsonNode el : elements(d, map)) {
                long mark = el.get(0).path("concat").get(0).asLong();
                JsonNode v = el.get(1);
                String target = v.isTextual() ? v.asText()
                        : v.path("concat").get(0).asText() + ":" + v.path("concat").get(1).asInt();
                slots.computeIfAbsent(mark, m -> new TreeSet<>()).add(target);
            }
        }
        // a mark's top byte is its rule's shape: a verdict in picks, or "jump own" and then the mark's own in owners
        Map<Long, String> picks = new TreeMap<>();
        for (JsonNode el : elements(d, "picks")) {
            picks.put(el.get(0).asLong(), el.get(1).toString());
        }
        Set<Long> owners = new TreeSet<>();
        for (JsonNode el : elements(d, "owners")) {
            owners.add(el.get(0).asLong());
        }
        Map<String, Set<String>> out = new TreeMap<>();
        for (String map : List.of("svcs", "svcranges")) {
            for (JsonNode el : elements(d, map)) {
                JsonNode c = el.get(0).path("concat");
                JsonNode p = c.get(2);
                String ports = p.has("range") ? p.path("range").get(0).asInt() + "-" + p.path("range").get(1).asInt()
                        : String.valueOf(p.asInt());
                String key = c.get(0).asText() + " " + c.get(1).asText() + " " + ports;
                long mark = el.get(1).asLong();
                String verdict = picks.get(mark & 0xff000000L);
                boolean leads = verdict != null && (!verdict.contains("\"own\"") || owners.contains(mark));
                // a service whose mark leads nowhere forwards nothing, whatever its slots say
                out.put(key, leads ? slots.getOrDefault(mark, Set.of()) : Set.of("(mark " + mark + ": no verdict)"));
            }
        }
        return out;
    }

    private static List<JsonNode> elements(RelayedDaemon d, String map) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode n : read(d.nftMap(map)).path("nftables")) {
            n.path("map").path("elem").forEach(out::add);
        }
        return out;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> u = new TreeSet<>(a);
        u.addAll(b);
        return u;
    }

    private static JsonNode read(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
