package dev.loxiharness.harness.netns;

import dev.loxiharness.exec.Commands;
import dev.loxiharness.exec.ExecResult;
import dev.loxiharness.harness.backend.Daemon;
import dev.loxiharness.harness.model.Topology;
import dev.loxiharness.harness.state.Processes;
import dev.loxiharness.harness.state.StateDir;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A node that is a network namespace of ours. It shares the host's file system, so its files live
 * in a folder of its own in the state folder ({@code nodes/<node>/etc/bird/bird.conf}), and its
 * PATH starts with the repository's {@code bin/node/} ({@code loxilb}, {@code loxicmd}), so the
 * seed's commands answer by name in it as they do in upstream's image.
 */
final class NamespaceNode extends NetworkNamespaceNode {
    private final StateDir state;
    private final String path;

    NamespaceNode(String name, Topology.Node spec, String namespace, StateDir state, Path home) {
        super(name, spec, namespace);
        this.state = state;
        this.path = home.resolve("bin/node") + ":" + System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
    }

    @Override
    public String describe() {
        return "namespace " + namespace();
    }

    @Override
    public ExecResult exec(Duration timeout, String stdin, List<String> cmd) {
        return Commands.run(interactive(cmd), stdin, timeout);
    }

    @Override
    public List<String> interactive(List<String> cmd) {
        List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", namespace(), "env", "PATH=" + path));
        argv.addAll(cmd);
        return argv;
    }

    @Override
    public String path(String nodePath) {
        String p = pathIn(state.dir(), name(), nodePath);
        try {
            Files.createDirectories(Path.of(p).getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    /** Where {@code nodePath} of node {@code node} is kept under the state folder {@code stateDir}; makes nothing. */
    static String pathIn(Path stateDir, String node, String nodePath) {
        return stateDir.resolve("nodes/" + node + requireAbsolute(nodePath)) + (nodePath.endsWith("/") ? "/" : "");
    }

    @Override
    public String writeFile(String nodePath, String content) {
        String p = path(nodePath);
        try {
            Files.writeString(Path.of(p), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    @Override
    public void daemon(String what, List<String> argv) {
        Processes.start(state, namespace(), name() + " " + what, interactive(argv), log(what));
    }

    /** The ledger's processes of this node (named {@code NODE WHAT}), and the children each runs (loxilb's gobgpd). */
    @Override
    public List<Daemon> daemons() {
        return recorded(state, namespace(), name() + " ");
    }

    /** The ledger's processes in {@code namespace} whose record starts with {@code prefix}, named by the rest, with their children. */
    static List<Daemon> recorded(StateDir state, String namespace, String prefix) {
        List<Daemon> out = new ArrayList<>();
        for (StateDir.ProcessRecord r : state.ledger().processes) {
            if (namespace.equals(r.namespace()) && r.what().startsWith(prefix)) {
                RecordedDaemon d = new RecordedDaemon(state, r.what().substring(prefix.length()), r);
                out.add(d);
                if (d.alive()) {
                    out.addAll(ChildDaemon.childrenOf(d.name(), d.pid()));
                }
            }
        }
        return out;
    }

    private Path log(String what) {
        return state.file(name() + "." + what.replace(' ', '-') + ".log");
    }

    @Override
    public String logTail(String what, int lines) {
        try {
            List<String> all = Files.readAllLines(log(what));
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log of " + what + ")";
        }
    }

}
