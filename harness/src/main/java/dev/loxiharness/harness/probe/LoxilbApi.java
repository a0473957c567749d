package dev.loxiharness.harness.probe;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loxiharness.harness.backend.Node;
import dev.loxiharness.harness.roles.LoxilbRole;
import java.util.List;

/**
 * loxilb's REST API from inside its node, with curl to where {@code loxicmd} goes by default
 * ({@code 127.0.0.1:11111}): the same answer as {@link Loxicmd#rules} in tens of milliseconds
 * instead of the second {@code loxicmd}'s JVM takes to start, for probes that run often (the
 * topology's picture). Checks of loxicmd itself go through {@link Loxicmd}.
 */
public final class LoxilbApi {
    private LoxilbApi() {
    }

    /** {@code GET /netlox/v1/config/loadbalancer/all}: its rules ({@code lbAttr}). */
    public static JsonNode rules(Node node) {
        String url = "http://127.0.0.1:" + LoxilbRole.API_PORT + "/netlox/v1/config/loadbalancer/all";
        return Probe.json(Probe.run(node, List.of("curl", "-s", "-S", "-f", "-m", "3", url)).stdout(), "{}").path("lbAttr");
    }
}
