package dev.loxiharness.harness.netns;

import dev.loxiharness.exec.ExecResult;
import dev.loxiharness.harness.model.Topology;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A node that makes nothing: the roles' own {@code start} runs against it and it writes down the
 * files and daemons they ask for, so {@code ./topology plan} shows what {@code up} would start from
 * the same code, with the paths the real node would give ({@link #path}). Running a command in it
 * is refused: a role that needs one to start cannot be planned without making something.
 */
final class PlannedNode extends NetworkNamespaceNode {
    /** A daemon a role asked for: what it is and its argv in the node. */
    record Daemon(String what, List<String> argv) {
    }

    private final String describe;
    private final UnaryOperator<String> paths;
    private final Map<String, String> files = new LinkedHashMap<>();
    private final List<Daemon> daemons = new ArrayList<>();

    PlannedNode(String name, Topology.Node spec, String namespace, String describe, UnaryOperator<String> paths) {
        super(name, spec, namespace);
        this.describe = describe;
        this.paths = paths;
    }

    /** The files written, by their path for the node's processes, in order. */
    Map<String, String> files() {
        return files;
    }

    List<Daemon> wouldStart() {
        return daemons;
    }

    @Override
    public String describe() {
        return describe;
    }

    @Override
    public ExecResult exec(Duration timeout, String stdin, List<String> cmd) {
        throw new UnsupportedOperationException("plan: nothing runs, so " + String.join(" ", cmd) + " cannot run in " + name());
    }

    @Override
    public List<String> interactive(List<String> cmd) {
        throw new UnsupportedOperationException("plan: nothing runs in " + name());
    }

    @Override
    public String path(String nodePath) {
        return paths.apply(requireAbsolute(nodePath));
    }

    @Override
    public String writeFile(String nodePath, String content) {
        String p = path(nodePath);
        files.put(p, content);
        return p;
    }

    @Override
    public void daemon(String what, List<String> argv) {
        daemons.add(new Daemon(what, List.copyOf(argv)));
    }

    @Override
    public String logTail(String what, int lines) {
        return "";
    }
}
