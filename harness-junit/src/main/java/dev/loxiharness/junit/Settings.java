package dev.loxiharness.junit;

import dev.loxiharness.exec.Host;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The system properties the extension reads, with their defaults. */
final class Settings {
    static final String HOME = Host.HOME_PROPERTY;
    static final String TOPOLOGY = "loxiharness.topology";
    static final String BACKEND = "loxiharness.backend";
    static final String EVIDENCE = "loxiharness.evidence";
    static final String CAPTURES = "loxiharness.captures";
    static final String SET = "loxiharness.set.";

    private Settings() {
    }

    /** {@code -Dloxiharness.backend}: overrides the topology file's backend when set. */
    static Optional<String> backend() {
        return Optional.ofNullable(System.getProperty(BACKEND)).map(String::trim).filter(s -> !s.isEmpty());
    }

    static Optional<String> topologyOverride() {
        return Optional.ofNullable(System.getProperty(TOPOLOGY)).map(String::trim).filter(s -> !s.isEmpty());
    }

    /** {@code -Dloxiharness.set.nodes.lb.image=IMAGE}: settings changed in every topology file, as {@code up --set} does. */
    static Map<String, String> overrides() {
        Map<String, String> set = new TreeMap<>();
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith(SET) && k.length() > SET.length())
                .forEach(k -> set.put(k.substring(SET.length()), System.getProperty(k)));
        return set;
    }

    static Path evidenceDir() {
        return Path.of(System.getProperty(EVIDENCE, "target/evidence")).toAbsolutePath();
    }

    static Path capturesDir() {
        return Path.of(System.getProperty(CAPTURES, "target/captures")).toAbsolutePath();
    }

    /**
     * A topology file by name ({@code seed}, {@code seed.yaml}: looked up in {@code <home>/topologies/})
     * or by path (absolute, or relative to the working directory).
     */
    static Path topologyFile(String spec, Path home) {
        Path given = Path.of(spec);
        if (given.isAbsolute()) {
            return requireFile(given, spec);
        }
        for (String candidate : spec.endsWith(".yaml") || spec.endsWith(".yml") ? List.of(spec) : List.of(spec + ".yaml", spec)) {
            Path inHome = home.resolve("topologies").resolve(candidate);
            if (Files.isRegularFile(inHome)) {
                return inHome;
            }
        }
        return requireFile(given.toAbsolutePath(), spec);
    }

    private static Path requireFile(Path p, String spec) {
        if (!Files.isRegularFile(p)) {
            throw new IllegalArgumentException("no topology file " + spec + " (looked for " + p
                    + " and in the repository's topologies/)");
        }
        return p.normalize();
    }
}
