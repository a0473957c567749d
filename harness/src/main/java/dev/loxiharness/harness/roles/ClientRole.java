package dev.loxiharness.harness.roles;

import dev.loxiharness.harness.backend.Node;
import dev.loxiharness.harness.model.Topology;

/** An outside user: addresses and routes only; probes (curl) run in it. */
public final class ClientRole extends NamedRole {
    public ClientRole() {
        super("client", false);
    }

    @Override
    public void start(Node node, Topology topology) {
    }
}
