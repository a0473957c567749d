package dev.loxiharness.harness.fault;

import dev.loxiharness.harness.backend.Daemon;
import dev.loxiharness.harness.backend.RunningTopology;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Faults on a running topology, as users script their own chaos ({@code ./topology fault}) and
 * tests inject them (the JUnit handle): a daemon of a node or pod killed, frozen, thawed or
 * restarted, and a node's link taken down and up. Daemons are found only from what the backend
 * recorded ({@link RunningTopology#faultTargets()}), never by program name across the host; an
 * unknown node, pod, daemon or interface is refused naming what exists.
 */
public final class Faults {
    private final RunningTopology topo;

    public Faults(RunningTopology topo) {
        this.topo = topo;
    }

    /**
     * {@code action} on daemon {@code daemon} of node or pod {@code target} ({@code pod/NAME} means
     * {@code pod/default/NAME}); a null {@code daemon} means the target's only one (a pod's nginx).
     */
    public FaultRecord apply(String target, Action action, String daemon) {
        Map<String, List<Daemon>> targets = topo.faultTargets();
        String key = target.startsWith("pod/") && target.indexOf('/', 4) < 0 ? "pod/default/" + target.substring(4) : target;
        List<Daemon> in = targets.get(key);
        if (in == null) {
            throw new IllegalArgumentException("no node or pod " + target + " in topology " + topo.name() + "; faults can hit: "
                    + targets.entrySet().stream().map(e -> e.getKey() + " (" + names(e.getValue()) + ")").collect(Collectors.joining(", ")));
        }
        List<Daemon> named = daemon == null && in.size() == 1 ? in : in.stream().filter(d -> d.name().equals(daemon)).toList();
        if (named.size() != 1) {
            throw new IllegalArgumentException((named.isEmpty() ? "no daemon " : "several daemons named ") + daemon + " in " + key
                    + " of topology " + topo.name() + "; it runs: " + (in.isEmpty() ? "none" : in.stream()
                    .map(d -> d.name() + " " + d.describe()).collect(Collectors.joining(", "))));
        }
        Daemon d = named.get(0);
        Instant at = Instant.now();
        return new FaultRecord(at, key, d.name(), action.apply(d));
    }

    /** The daemons of node or pod {@code target}, to hit one by name. */
    public DaemonFaults on(String target) {
        return new DaemonFaults(this, target);
    }

    /** The interface {@code iface} of node {@code node}, to take down and up. */
    public LinkFault link(String node, String iface) {
        return new LinkFault(topo.node(node), iface);
    }

    private static String names(List<Daemon> daemons) {
        return daemons.isEmpty() ? "no daemons" : daemons.stream().map(Daemon::name).collect(Collectors.joining(", "));
    }
}
