package dev.loxiharness.harness.backend;

import dev.loxiharness.harness.model.Topology;
import dev.loxiharness.harness.state.Processes;
import dev.loxiharness.harness.state.StateDir;
import dev.loxiharness.netns.Netns;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What a role sees of the node it configures: the node, its namespace, the topology, the state folder. */
public record NodeContext(String name, Topology.Node node, Netns ns, Topology topology, StateDir state, Path home) {

    /** Writes a file into the state folder (configs, pages) and returns its path. */
    public Path write(String file, String content) {
        try {
            Path p = state.file(file);
            Files.createDirectories(p.getParent());
            Files.writeString(p, content);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The last lines of a file of the state folder (a daemon's log), for error messages. */
    public String tail(String file, int lines) {
        try {
            List<String> all = Files.readAllLines(state.file(file));
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no " + file + ")";
        }
    }

    /** Starts a long-running process in this node, logging to {@code <state>/<name>.<what>.log}. */
    public StateDir.ProcessRecord daemon(String what, List<String> cmd) {
        return Processes.start(state, ns, name + " " + what, cmd, state.file(name + "." + what + ".log"));
    }
}
