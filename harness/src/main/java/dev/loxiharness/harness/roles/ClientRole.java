package dev.loxiharness.harness.roles;

import dev.loxiharness.harness.backend.NodeContext;
import dev.loxiharness.harness.backend.NodeRole;

/** An outside user: addresses and routes only; probes (curl) run in it. */
public final class ClientRole implements NodeRole {
    @Override
    public String name() {
        return "client";
    }

    @Override
    public void start(NodeContext ctx) {
    }
}
