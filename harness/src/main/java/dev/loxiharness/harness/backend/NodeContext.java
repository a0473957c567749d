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

    /** Starts a long-running process in this node, logging to {@code <state>/<name>.<what>.log}. */
    public StateDir.ProcessRecord daemon(String what, List<String> cmd) {
        return Processes.start(state, ns, name + " " + what, cmd, state.file(name + "." + what + ".log"));
    }
}
