package dev.loxiharness.loxilb.rules;

import java.util.List;

/**
 * A load-balancer rule as configured (what the client asked for). Runtime state, such as which
 * endpoints are up, lives in the {@link RuleTable}. Records compare by value, which is how an
 * unchanged re-post is recognised.
 */
public record LbRule(
        RuleKey key,
        String name,
        Selection selection,
        NatMode mode,
        boolean bgp,
        boolean monitor,
        int inactiveTimeoutSeconds,
        boolean managed,
        boolean snat,
        boolean egress,
        String privateIp,
        int security,
        ProbeSpec probe,
        List<String> secondaryIps,
        List<String> allowedSources,
        List<EndpointSpec> endpoints) {

    public LbRule {
        secondaryIps = List.copyOf(secondaryIps);
        allowedSources = List.copyOf(allowedSources);
        endpoints = List.copyOf(endpoints);
    }

    /** Endpoints are probed when monitoring is on or a probe type other than none is set. */
    public boolean probed() {
        return monitor || probe.active();
    }
}
