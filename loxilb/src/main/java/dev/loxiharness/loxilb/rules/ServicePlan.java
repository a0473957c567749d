package dev.loxiharness.loxilb.rules;

import java.util.List;

/**
 * What the data plane must do for one rule: its stable id (used as the packet mark that ties the
 * rule's nftables objects together), its key and the endpoints that are up right now.
 */
public record ServicePlan(long id, LbRule rule, List<EndpointSpec> activeEndpoints) {

    public ServicePlan {
        activeEndpoints = List.copyOf(activeEndpoints);
    }

    public RuleKey key() {
        return rule.key();
    }
}
