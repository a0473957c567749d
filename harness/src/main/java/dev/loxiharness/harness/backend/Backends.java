package dev.loxiharness.harness.backend;

import dev.loxiharness.harness.model.Topology;
import dev.loxiharness.harness.state.StateDir;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/** The backends on the class path, by name (registered in {@code META-INF/services}). */
public final class Backends {
    public static final String DEFAULT = "netns";
    private static final Map<String, Backend> ALL = load();

    private Backends() {
    }

    private static Map<String, Backend> load() {
        Map<String, Backend> m = new LinkedHashMap<>();
        ServiceLoader.load(Backend.class, Backends.class.getClassLoader()).forEach(b -> m.put(b.name(), b));
        return m;
    }

    public static List<Backend> all() {
        return List.copyOf(ALL.values());
    }

    public static Backend named(String name) {
        Backend b = ALL.get(name);
        if (b == null) {
            throw new IllegalArgumentException("unknown backend '" + name + "' (known: " + String.join(", ", ALL.keySet()) + ")");
        }
        return b;
    }

    /** The backend a topology runs on: {@code override} (e.g. {@code --backend}) if given, else its file's, else netns. */
    public static Backend of(Topology t, String override) {
        if (override != null && !override.isBlank()) {
            return named(override.trim());
        }
        return named(t.backend() != null ? t.backend() : DEFAULT);
    }

    /** The running topology {@code name}, on the backend its ledger names. */
    public static RunningTopology attach(String name, Path home) {
        StateDir state = StateDir.open(name);
        return named(state.ledger().backend == null ? DEFAULT : state.ledger().backend).attach(state, home);
    }

    /**
     * {@code down --all}: every recorded topology whose name starts with {@code name} ("" for all),
     * then what each backend finds under our prefix that no ledger names.
     */
    public static List<String> sweep(String name, Path home) {
        List<String> removed = new ArrayList<>();
        for (String n : StateDir.all()) {
            if (n.startsWith(name)) {
                StateDir state = StateDir.open(n);
                named(state.ledger().backend == null ? DEFAULT : state.ledger().backend).down(state);
                removed.add(n);
            }
        }
        ALL.values().forEach(b -> removed.addAll(b.sweepUnrecorded(name)));
        return removed;
    }

    /** One line per backend for {@code --help}, separated by picocli's {@code %n}. */
    public static String describeAll() {
        return String.join("%n", ALL.values().stream().map(b -> String.format("  %-6s %s", b.name(), b.description())).toList());
    }
}
