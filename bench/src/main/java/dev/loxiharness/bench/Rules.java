package dev.loxiharness.bench;

import dev.loxiharness.loxilb.rules.LbRule;
import dev.loxiharness.loxilb.rules.ServicePlan;
import dev.loxiharness.loxilb.wire.Json;
import dev.loxiharness.loxilb.wire.LoadbalanceEntry;
import dev.loxiharness.loxilb.wire.RuleMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The benchmark's rules, numbered from 0: rule {@code i} is VIP 100.64.x.y port 8888 tcp, round
 * robin over the two endpoints of the traffic lab (10.0.1.2:8080, 10.0.2.2:8080). The same numbering
 * is used by the REST load client and by the raw-nft baseline, so both program the same rules.
 */
final class Rules {
    static final int PORT = 8888;
    static final String BE1 = "10.0.1.2";
    static final String BE2 = "10.0.2.2";
    static final int BACKEND_PORT = 8080;

    private Rules() {
    }

    /** 100.64.0.0/10 (shared address space): never routed outside our namespaces. */
    static String vip(int i) {
        if (i < 0 || i >= 65_000) {
            throw new IllegalArgumentException("rule index " + i);
        }
        int n = i + 1;
        return "100.64." + (n >> 8) + "." + (n & 255);
    }

    /** The POST /netlox/v1/config/loadbalancer body of rule {@code i}, as kube-loxilb would send it. */
    static String body(int i) {
        return "{\"serviceArguments\":{\"externalIP\":\"" + vip(i) + "\",\"port\":" + PORT
                + ",\"protocol\":\"tcp\",\"sel\":0,\"mode\":0},\"endpoints\":["
                + "{\"endpointIP\":\"" + BE1 + "\",\"targetPort\":" + BACKEND_PORT + ",\"weight\":1},"
                + "{\"endpointIP\":\"" + BE2 + "\",\"targetPort\":" + BACKEND_PORT + ",\"weight\":1}]}";
    }

    /** Rule {@code i} as the daemon sees it after decoding the same body. */
    static LbRule rule(int i) {
        try {
            return RuleMapper.toRule(Json.MAPPER.readValue(body(i), LoadbalanceEntry.class));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Plans for rules {@code from .. from+count-1}, with the ids the daemon's table would give them. */
    static List<ServicePlan> plans(int from, int count) {
        List<ServicePlan> out = new ArrayList<>(count);
        for (int i = from; i < from + count; i++) {
            LbRule r = rule(i);
            out.add(new ServicePlan(i + 1L, r, r.endpoints()));
        }
        return out;
    }
}
