package dev.loxiharness.harness.cli;

import dev.loxiharness.harness.backend.Backend;
import dev.loxiharness.harness.backend.Backends;
import dev.loxiharness.harness.model.Topology;
import dev.loxiharness.harness.model.TopologyLoader;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** What {@code up} and {@code plan} are given alike: a topology file, settings changed on top of it, a backend. */
final class TopologyArgs {
    @Parameters(index = "0", arity = "0..1", description = "topology file (default: topologies/seed.yaml)")
    Path file;
    @Option(names = {"-b", "--backend"}, paramLabel = "NAME",
            description = "backend to run it on (default: the file's backend:, else netns)")
    String backend;
    @Option(names = "--set", paramLabel = "PATH=VALUE",
            description = "change a setting of the file first, e.g. --set nodes.lb.image=ghcr.io/loxilb-io/loxilb:latest (repeatable)")
    Map<String, String> set = new LinkedHashMap<>();

    Path file() {
        return file != null ? file : TopologyMain.defaultFile();
    }

    Topology load() {
        return TopologyLoader.load(file(), set);
    }

    Backend backend(Topology t) {
        return Backends.of(t, backend);
    }
}
