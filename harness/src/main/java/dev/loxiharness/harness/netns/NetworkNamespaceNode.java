package dev.loxiharness.harness.netns;

import dev.loxiharness.harness.backend.Node;
import dev.loxiharness.harness.model.Topology;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What every node of this backend shares: a network namespace under our name in {@code /run/netns}
 * (made by us, or a container's attached to that name), where host programs run and captures open.
 */
abstract class NetworkNamespaceNode implements Node {
    private final String name;
    private final Topology.Node spec;
    private final String namespace;

    NetworkNamespaceNode(String name, Topology.Node spec, String namespace) {
        this.name = name;
        this.spec = spec;
        this.namespace = namespace;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final Topology.Node spec() {
        return spec;
    }

    final String namespace() {
        return namespace;
    }

    @Override
    public final List<String> inNetwork(List<String> cmd) {
        List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        argv.addAll(cmd);
        return argv;
    }

    @Override
    public final Path networkNamespace() {
        return Path.of("/run/netns", namespace);
    }

    static String requireAbsolute(String nodePath) {
        if (!nodePath.startsWith("/")) {
            throw new IllegalArgumentException("not an absolute path in the node: " + nodePath);
        }
        return nodePath;
    }

    @Override
    public String toString() {
        return name + " (" + describe() + ")";
    }
}
