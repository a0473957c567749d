package dev.loxiharness.harness.graph;

import dev.loxiharness.exec.ExecResult;
import dev.loxiharness.harness.backend.Daemon;
import dev.loxiharness.harness.backend.Node;
import dev.loxiharness.harness.model.Topology;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A node whose commands get at most {@code limit}: the probes, unchanged, answer within it or not
 * at all. A frozen BIRD would otherwise hold {@code birdc} for the probes' own 30 s.
 */
final class BoundedNode implements Node {
    private final Node node;
    private final Duration limit;

    BoundedNode(Node node, Duration limit) {
        this.node = node;
        this.limit = limit;
    }

    @Override
    public ExecResult exec(Duration timeout, String stdin, List<String> cmd) {
        return node.exec(timeout.compareTo(limit) < 0 ? timeout : limit, stdin, cmd);
    }

    @Override
    public String name() {
        return node.name();
    }

    @Override
    public Topology.Node spec() {
        return node.spec();
    }

    @Override
    public String describe() {
        return node.describe();
    }

    @Override
    public List<String> interactive(List<String> cmd) {
        return node.interactive(cmd);
    }

    @Override
    public List<String> inNetwork(List<String> cmd) {
        return node.inNetwork(cmd);
    }

    @Override
    public Path networkNamespace() {
        return node.networkNamespace();
    }

    @Override
    public String path(String nodePath) {
        return node.path(nodePath);
    }

    @Override
    public String writeFile(String nodePath, String content) {
        return node.writeFile(nodePath, content);
    }

    @Override
    public void daemon(String what, List<String> argv) {
        node.daemon(what, argv);
    }

    @Override
    public List<Daemon> daemons() {
        return node.daemons();
    }

    @Override
    public String logTail(String what, int lines) {
        return node.logTail(what, lines);
    }
}
