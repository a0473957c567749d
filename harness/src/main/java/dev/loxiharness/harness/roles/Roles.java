package dev.loxiharness.harness.roles;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The role registry. Roles that belong to the Kubernetes part ({@code control-plane},
 * {@code kube-proxy}) are run by the backend's Kubernetes rather than here.
 */
public final class Roles {
    private static final Map<String, NodeRole> ROLES = List.of(new RouterRole(), new CalicoNodeRole(),
            new LoxilbRole(), new ClientRole()).stream().collect(Collectors.toMap(NodeRole::name, Function.identity()));

    private Roles() {
    }

    public static Optional<NodeRole> find(String name) {
        return Optional.ofNullable(ROLES.get(name));
    }
}
