package dev.loxiharness.harness.probe;

import dev.loxiharness.harness.backend.Node;
import java.util.List;

/** iproute2 in a node: its routes. */
public final class Ip {
    private Ip() {
    }

    /** {@code ip -j route show SELECTOR} (e.g. {@code 123.123.123.15/32}, {@code proto bgp}), parsed. */
    public static List<Route> routes(Node node, String... selector) {
        return Route.parse(Probe.json(Probe.run(node, Probe.cmd(List.of("ip", "-j", "route", "show"), selector)).stdout(), "[]"));
    }
}
