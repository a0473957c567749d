package dev.loxiharness.harness.backend;

import dev.loxiharness.harness.kube.KubeAgent;
import dev.loxiharness.harness.model.Topology;
import dev.loxiharness.harness.model.TopologyLoader;
import dev.loxiharness.harness.state.Processes;
import dev.loxiharness.harness.state.StateDir;
import dev.loxiharness.netns.Commands;
import dev.loxiharness.netns.ExecResult;
import dev.loxiharness.netns.Netns;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A topology on the netns backend: one network namespace per node plus one ({@code <prefix>-lan})
 * holding a bridge per network. Links are made inside namespaces, never in the root namespace.
 * Everything is recorded in the {@link StateDir} before it is made, so a failed or interrupted
 * {@code up} rolls back, and {@code down} or {@code down --all} remove exactly what was made.
 */
public final class NetnsTopology {
    public static final String PREFIX = "lxh-";

    private final Topology topology;
    private final StateDir state;
    private final Path home;
    private final Map<String, Netns> nodes = new LinkedHashMap<>();

    private NetnsTopology(Topology topology, StateDir state, Path home) {
        this.topology = topology;
        this.state = state;
        this.home = home;
        topology.nodes().keySet().forEach(n -> nodes.put(n, Netns.named(prefix(topology.name()) + "-" + n)));
    }

    public static String prefix(String name) {
        return PREFIX + name;
    }

    /** Brings the topology up; on any failure or interruption everything made so far is removed. */
    public static NetnsTopology up(Topology t, Path home, Progress progress) {
        StateDir state = StateDir.create(t.name(), prefix(t.name()), t.source());
        NetnsTopology topo = new NetnsTopology(t, state, home);
        AtomicBoolean done = new AtomicBoolean();
        Thread rollback = new Thread(() -> {
            if (!done.get()) {
                System.err.println("interrupted: removing what was made of " + t.name());
                down(state);
            }
        }, "topology-rollback");
        Runtime.getRuntime().addShutdownHook(rollback);
        try {
            topo.wire(progress);
            StateDir.ProcessRecord kube = t.kubernetes() != null ? KubeAgent.launch(topo) : null;
            topo.startRoles(progress);
            if (kube != null) {
                KubeAgent.awaitReady(topo, kube, progress);
                KubeAgent.applyManifests(topo, progress);
            }
            done.set(true);
            return topo;
        } catch (RuntimeException e) {
            done.set(true);
            progress.step("failed: " + e.getMessage() + "; removing what was made");
            down(state);
            throw e;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(rollback);
            } catch (IllegalStateException e) {
                // the JVM is shutting down: the hook is running
            }
        }
    }

    /** The running topology {@code name}, from its state folder. */
    public static NetnsTopology attach(String name) {
        StateDir state = StateDir.open(name);
        Topology t = TopologyLoader.load(Path.of(state.ledger().topologyFile)).withName(state.ledger().name);
        return new NetnsTopology(t, state, Path.of(System.getProperty("loxiharness.home", ".")));
    }

    private void wire(Progress progress) {
        String lan = prefix(topology.name()) + "-lan";
        List<String> all = new ArrayList<>(List.of(lan));
        nodes.values().forEach(n -> all.add(n.name()));
        for (String ns : all) {
            state.recordNamespace(ns);
            Commands.run(List.of("ip", "netns", "add", ns)).orThrow();
        }
        IpBatch lanBatch = new IpBatch(lan).add("link set lo up");
        topology.networks().keySet().forEach(net -> lanBatch.add("link add " + net + " type bridge")
                .add("link set " + net + " up"));
        lanBatch.run();
        progress.step("namespaces: " + all.size() + " (" + lan + " holds the networks: "
                + String.join(", ", topology.networks().keySet()) + ")");
        int port = 0;
        for (Map.Entry<String, Topology.Node> e : topology.nodes().entrySet()) {
            Topology.Node node = e.getValue();
            Netns ns = nodes.get(e.getKey());
            IpBatch b = new IpBatch(ns.name()).add("link set lo up");
            for (int i = 0; i < node.interfaces().size(); i++) {
                Topology.Interface itf = node.interfaces().get(i);
                String ifName = itf.name() != null ? itf.name() : "eth" + i;
                String swPort = "v" + port++;
                b.add("link add " + ifName + " type veth peer name " + swPort + " netns " + lan);
                b.add("addr add " + itf.address() + " dev " + ifName);
                b.add("link set " + ifName + " up");
                lanBatch.add("link set " + swPort + " master " + itf.network()).add("link set " + swPort + " up");
            }
            node.loopback().forEach(a -> b.add("addr add " + a + " dev lo"));
            node.routes().forEach(r -> b.add("route replace " + r.to() + " via " + r.via()));
            b.run();
            if (node.roles().stream().map(Roles::find).flatMap(Optional::stream).anyMatch(NodeRole::forwards)
                    || node.has("kube-proxy")) {
                ns.exec("sysctl", "-qw", "net.ipv4.ip_forward=1").orThrow();
            }
        }
        lanBatch.run();
        progress.step("links: " + port + " interfaces on " + topology.networks().size() + " networks, addresses and routes set");
    }

    private void startRoles(Progress progress) {
        List<NodeContext> started = new ArrayList<>();
        for (Map.Entry<String, Topology.Node> e : topology.nodes().entrySet()) {
            NodeContext ctx = context(e.getKey());
            for (String role : e.getValue().roles()) {
                Optional<NodeRole> r = Roles.find(role);
                if (r.isPresent()) {
                    r.get().start(ctx);
                    started.add(ctx);
                }
            }
        }
        progress.step("daemons started: " + state.ledger().processes.size() + " ("
                + String.join(", ", state.ledger().processes.stream().map(StateDir.ProcessRecord::what).toList()) + ")");
        for (Map.Entry<String, Topology.Node> e : topology.nodes().entrySet()) {
            for (String role : e.getValue().roles()) {
                Roles.find(role).ifPresent(r -> r.awaitReady(context(e.getKey())));
            }
        }
        progress.step("daemons ready");
    }

    public NodeContext context(String node) {
        return new NodeContext(node, topology.nodes().get(node), node(node), topology, state, home);
    }

    public Topology topology() {
        return topology;
    }

    /** The repository the topology runs from (bin/loxilb, the jars). */
    public Path home() {
        return home;
    }

    public StateDir state() {
        return state;
    }

    public Netns node(String name) {
        Netns ns = nodes.get(name);
        if (ns == null) {
            throw new IllegalArgumentException("no node " + name + " in topology " + topology.name()
                    + " (nodes: " + String.join(", ", nodes.keySet()) + ")");
        }
        return ns;
    }

    public Map<String, Netns> nodes() {
        return Collections.unmodifiableMap(nodes);
    }

    /** The real kubectl against this topology's (simulated) API server; fails when it has no Kubernetes. */
    public dev.loxiharness.harness.kube.Kubectl kubectl() {
        if (topology.kubernetes() == null) {
            throw new IllegalStateException("topology " + topology.name() + " has no kubernetes: section");
        }
        return new dev.loxiharness.harness.kube.Kubectl(KubeAgent.kubeconfig(state));
    }

    public ExecResult exec(String node, String... cmd) {
        return node(node).exec(cmd);
    }

    public void down() {
        down(state);
    }

    /**
     * Ends the recorded processes, deletes the recorded namespaces, removes the state folder. The
     * namespaces go anyway, and with them every route and nft table in them, so the daemons get
     * only a short grace period (BIRD alone spends about 2 s on a graceful shutdown).
     */
    public static void down(StateDir state) {
        Processes.stopAll(state.ledger().processes, 200);
        for (String ns : state.ledger().namespaces) {
            killInside(ns);
            Commands.run(List.of("ip", "netns", "del", ns));
        }
        state.delete();
    }

    /**
     * Ends whatever still runs inside a namespace of ours (by pid) before the namespace goes: a
     * process whose record was lost would otherwise live on in a namespace nobody can name.
     */
    private static void killInside(String ns) {
        for (String pid : Commands.run(List.of("ip", "netns", "pids", ns)).stdout().split("\\s+")) {
            if (!pid.isBlank()) {
                ProcessHandle.of(Long.parseLong(pid.trim())).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    /** {@code down --all}: every recorded topology, then any namespace with our prefix that no record names. */
    public static List<String> sweep() {
        return sweep("");
    }

    /** Like {@link #sweep()}, limited to topologies whose name starts with {@code name} ("" for all). */
    public static List<String> sweep(String name) {
        List<String> removed = new ArrayList<>();
        for (String n : StateDir.all()) {
            if (n.startsWith(name)) {
                down(StateDir.open(n));
                removed.add(n);
            }
        }
        for (String ns : Commands.run(List.of("ip", "netns", "list")).stdout().lines()
                .map(l -> l.split(" ")[0]).filter(n -> n.startsWith(PREFIX + name)).toList()) {
            killInside(ns);
            Commands.run(List.of("ip", "netns", "del", ns));
            removed.add(ns);
        }
        return removed;
    }
}
