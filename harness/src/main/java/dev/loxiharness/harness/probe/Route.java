package dev.loxiharness.harness.probe;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * One route of {@code ip -j route}: destination ({@code default}, {@code 10.0.0.0/24}, or a host
 * address without {@code /32}, as iproute2 prints it), gateway (empty when directly connected),
 * device and the protocol that installed it ({@code kernel}, {@code static}, {@code bird}, {@code bgp}).
 */
public record Route(String dst, String gateway, String dev, String protocol, JsonNode raw) {

    public static List<Route> parse(JsonNode routes) {
        List<Route> out = new ArrayList<>();
        for (JsonNode r : routes) {
            String gateway = r.path("gateway").asText("");
            if (gateway.isEmpty() && r.has("nexthops")) {
                List<String> hops = new ArrayList<>();
                r.path("nexthops").forEach(h -> hops.add(h.path("gateway").asText()));
                gateway = String.join(",", hops);
            }
            out.add(new Route(r.path("dst").asText(), gateway, r.path("dev").asText(""), r.path("protocol").asText("boot"), r));
        }
        return out;
    }

    /** The gateway, or the device for a directly connected route (what {@code ip route} says it goes "via"). */
    public String gatewayOrDevice() {
        return gateway.isEmpty() ? dev : gateway;
    }

    @Override
    public String toString() {
        return dst + (gateway.isEmpty() ? "" : " via " + gateway) + (dev.isEmpty() ? "" : " dev " + dev) + " proto " + protocol;
    }
}
