package dev.loxiharness.harness.netns;

import dev.loxiharness.console.Progress;
import dev.loxiharness.exec.Commands;
import dev.loxiharness.exec.Host;
import dev.loxiharness.exec.Paths;
import dev.loxiharness.harness.backend.Backend;
import dev.loxiharness.harness.backend.Plan;
import dev.loxiharness.harness.backend.RunningTopology;
import dev.loxiharness.harness.docker.Containers;
import dev.loxiharness.harness.docker.DockerEngine;
import dev.loxiharness.harness.docker.Images;
import dev.loxiharness.harness.docker.OurImage;
import dev.loxiharness.harness.jvm.ClassArchive;
import dev.loxiharness.harness.kind.ClusterLayout;
import dev.loxiharness.harness.kube.KubeAgent;
import dev.loxiharness.harness.model.Topology;
import dev.loxiharness.harness.model.TopologyLoader;
import dev.loxiharness.harness.roles.NodeRole;
import dev.loxiharness.harness.roles.Roles;
import dev.loxiharness.harness.state.Processes;
import dev.loxiharness.harness.state.StateDir;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The netns backend: one network namespace per node plus one ({@code <prefix>-lan}) holding a
 * bridge per network; links are made inside namespaces, never in the root namespace. Kubernetes is
 * simulated ({@link KubeAgent}). Everything is recorded in the {@link StateDir} before it is made,
 * so a failed or interrupted {@code up} rolls back, and {@code down} or {@code down --all} remove
 * exactly what was made.
 */
public final class NetnsBackend implements Backend {
    public static final String NAME = "netns";
    public static final String PREFIX = "lxh-";
    static final List<String> TOOLS = List.of("ip", "nft", "nginx", "curl", "bird", "birdc", "gobgpd", "gobgp", "socat");
    static final List<String> JARS = List.of("loxilb/target/loxilb.jar", "controller/target/controller.jar");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "network namespaces (or containers with image:); Kubernetes simulated";
    }

    static String prefix(String topology) {
        return PREFIX + topology;
    }

    static String namespace(String topology, String node) {
        return prefix(topology) + "-" + node;
    }

    @Override
    public Optional<String> whyNot(Topology topology, Path home) {
        return whyNot(topology, home, NAME, topology != null && topology.kubernetes() != null);
    }

    /** What the wires and nodes need (root, tools, built jars, container engine and images); kubectl where it runs on the host. */
    static Optional<String> whyNot(Topology topology, Path home, String backend, boolean hostKubectl) {
        if (!Host.isRoot()) {
            return Optional.of(backend + " backend: network namespaces need root (run as root, e.g. sudo ./verify)");
        }
        List<String> tools = new ArrayList<>(TOOLS);
        if (hostKubectl && System.getenv("KUBECTL") == null) {
            tools.add("kubectl");
        }
        List<String> missing = tools.stream().filter(t -> !Paths.onPath(t)).toList();
        if (!missing.isEmpty()) {
            return Optional.of(backend + " backend: missing tools " + String.join(", ", missing) + " (bin/install-packages installs them)");
        }
        List<String> unbuilt = JARS.stream().filter(j -> !Files.isRegularFile(home.resolve(j))).toList();
        if (!unbuilt.isEmpty()) {
            return Optional.of(backend + " backend: not built: " + String.join(", ", unbuilt)
                    + " (run bin/build, or mvn verify from the repository root)");
        }
        return topology == null ? Optional.empty() : whyNotContainers(topology, home);
    }

    /** Container nodes need an engine and their images (ours can be built); names must be free. */
    static Optional<String> whyNotContainers(Topology topology, Path home) {
        List<Topology.Node> containers = topology.nodes().values().stream().filter(Topology.Node::isContainer).toList();
        if (containers.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> engine = DockerEngine.whyNot();
        if (engine.isPresent()) {
            return Optional.of("container nodes: " + engine.get());
        }
        List<String> problems = new ArrayList<>();
        containers.stream().map(Topology.Node::image).distinct().forEach(i -> Images.whyNotAvailable(i, home).ifPresent(problems::add));
        problems.addAll(nameConflicts(topology));
        return problems.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", problems));
    }

    /** The container nodes whose container name is taken already, each with what to do about it. */
    static List<String> nameConflicts(Topology topology) {
        List<String> problems = new ArrayList<>();
        topology.nodes().forEach((name, node) -> {
            if (node.isContainer()) {
                String container = ContainerNode.containerName(name, node);
                Containers.existing(container).ifPresent(labels -> problems.add("a container named " + container + " exists already"
                        + (labels.containsKey(Containers.TOPOLOGY_LABEL) ? " (of topology " + labels.get(Containers.TOPOLOGY_LABEL)
                        + ": ./topology down " + labels.get(Containers.TOPOLOGY_LABEL) + ")" : " (not ours: docker rm -f " + container
                        + ", or give the node another container: { name: })")));
            }
        });
        return problems;
    }

    /** What up would make, made by nothing: see {@link NetnsPlan}. */
    @Override
    public Plan plan(Topology topology, Path home) {
        return new NetnsPlan(topology, home, this, true).plan();
    }

    @Override
    public RunningTopology up(Topology t, Path home, Progress progress) {
        return up(t, home, progress, NAME, new SimulatedKubernetes());
    }

    /**
     * Brings {@code t} up with its Kubernetes part: wires, nodes and daemons, then the cluster; on
     * any failure or interruption everything recorded so far is removed.
     */
    static RunningTopology up(Topology t, Path home, Progress progress, String backend, KubernetesPart kubernetes) {
        StateDir state = StateDir.create(t.name(), backend, prefix(t.name()), t.source(), t.settings());
        NetnsTopology topo = new NetnsTopology(t, state, home, backend, kubernetes);
        AtomicBoolean done = new AtomicBoolean();
        Thread rollback = new Thread(() -> {
            if (!done.get()) {
                System.err.println("interrupted: removing what was made of " + t.name());
                remove(state);
            }
        }, "topology-rollback");
        Runtime.getRuntime().addShutdownHook(rollback);
        try {
            t.nodes().values().stream().filter(Topology.Node::isContainer).map(n -> OurImage.named(n.image())).flatMap(Optional::stream)
                    .distinct().forEach(ours -> Images.ensure(ours, home, progress));
            topo.fabric().wire(topo, progress);
            if (t.kubernetes() != null) {
                kubernetes.beforeRoles(topo, home);
            }
            startRoles(topo, progress);
            if (!topo.containers().isEmpty()) {
                ContainerWatch.launch(topo, home);
                progress.step("containers: " + String.join(", ", topo.containers().stream().map(ContainerNode::describe).toList())
                        + "; restarts are wired again by the container watch");
            }
            if (t.kubernetes() != null) {
                // the manifests go in as soon as the API server answers: Calico's BGP peers and the
                // Services are then on their way while the daemons finish starting
                kubernetes.afterRoles(topo, home, progress);
            }
            awaitRolesReady(topo, progress);
            List<String> toArchive = ClassArchive.daemons(home).stream().filter(ClassArchive::recorded).map(ClassArchive::name).toList();
            if (!toArchive.isEmpty()) {
                Processes.start(state, "", "class-data archives", ClassArchive.makerArgv(home, StateDir.ROOT.toString(), t.name()),
                        state.file("class-archives.log"));
                progress.step("making class-data archives for " + String.join(", ", toArchive) + " in the background (once after"
                        + " each build; the daemons' later starts take about half the CPU)");
            }
            done.set(true);
            return topo;
        } catch (RuntimeException e) {
            done.set(true);
            progress.step("failed: " + e.getMessage() + "; removing what was made");
            remove(state);
            throw e;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(rollback);
            } catch (IllegalStateException e) {
                // the JVM is shutting down: the hook is running
            }
        }
    }

    /**
     * Starts every node's roles. Container nodes start on a thread of their own, beside the
     * namespace nodes: creating, starting and wiring a container takes seconds that the namespace
     * daemons need not wait for.
     */
    private static void startRoles(NetnsTopology topo, Progress progress) {
        Topology t = topo.topology();
        CompletableFuture<Void> containers = CompletableFuture.runAsync(() -> {
            for (ContainerNode c : topo.containers()) {
                startRolesOf(topo, c.name());
                if (!ClusterLayout.isKindNode(c.spec()) && Containers.pid(c.container()) == 0) {
                    c.run("main", List.of()); // no role started a daemon in it: it runs the image's own command
                }
            }
        });
        RuntimeException failure = null;
        try {
            t.nodes().keySet().stream().filter(n -> !(topo.node(n) instanceof ContainerNode)).forEach(n -> startRolesOf(topo, n));
        } catch (RuntimeException e) {
            failure = e;
        }
        try {
            containers.join(); // also after a failure: the rollback must not race a container being made
        } catch (CompletionException e) {
            RuntimeException inContainer = e.getCause() instanceof RuntimeException r ? r : e;
            if (failure == null) {
                failure = inContainer;
            } else {
                failure.addSuppressed(inContainer);
            }
        }
        if (failure != null) {
            throw failure;
        }
        progress.step("daemons started: " + topo.state().ledger().processes.size() + " ("
                + String.join(", ", topo.state().ledger().processes.stream().map(StateDir.ProcessRecord::what).toList()) + ")"
                + (topo.containers().isEmpty() ? "" : " and " + topo.containers().size() + " container(s)"));
    }

    /** Waits for every role that has a readiness of its own, side by side; says when each was ready. */
    private static void awaitRolesReady(NetnsTopology topo, Progress progress) {
        record Awaited(String node, NodeRole role) {
        }
        List<Awaited> awaited = new ArrayList<>();
        topo.topology().nodes().forEach((node, spec) -> spec.roles().forEach(role ->
                Roles.find(role).ifPresent(r -> awaited.add(new Awaited(node, r)))));
        try (Progress.Task ready = progress.start("waiting for the daemons to answer")) {
            double from = progress.seconds();
            List<String> when = awaited.parallelStream().map(a -> {
                a.role().awaitReady(topo.node(a.node()));
                double at = progress.seconds();
                // roles without a readiness of their own return at once: only those waited for are named
                return at - from < 0.02 ? "" : String.format(java.util.Locale.ROOT, "%s %s at %.2fs", a.node(), a.role().name(), at);
            }).filter(w -> !w.isEmpty()).sorted().toList();
            ready.done("daemons ready" + (when.isEmpty() ? "" : ": " + String.join(", ", when)));
        }
    }

    private static void startRolesOf(NetnsTopology topo, String node) {
        for (String role : topo.topology().nodes().get(node).roles()) {
            Roles.find(role).ifPresent(r -> r.start(topo.node(node), topo.topology()));
        }
    }

    /**
     * The kernel settings of the node's network namespace: forwarding where it forwards, and on a
     * router ECMP per flow (ports in the hash, as routers in front of two loxilbs do).
     */
    static Map<String, String> sysctls(Topology.Node node) {
        Map<String, String> s = new LinkedHashMap<>();
        if (forwards(node)) {
            s.put("net.ipv4.ip_forward", "1");
        }
        if (node.has("router")) {
            s.put("net.ipv4.fib_multipath_hash_policy", "1");
        }
        return s;
    }

    /** Whether the node forwards packets: one of its roles does, or kube-proxy runs in it. */
    static boolean forwards(Topology.Node node) {
        return node.has("kube-proxy") || node.roles().stream().map(Roles::find).flatMap(Optional::stream).anyMatch(NodeRole::forwards);
    }

    @Override
    public RunningTopology attach(StateDir state, Path home) {
        Topology t = TopologyLoader.load(Path.of(state.ledger().topologyFile), state.ledger().settings).withName(state.ledger().name);
        return new NetnsTopology(t, state, home, NAME, new SimulatedKubernetes());
    }

    @Override
    public void down(StateDir state) {
        remove(state);
    }

    /**
     * Ends the recorded processes, deletes the recorded namespaces, removes the state folder. The
     * namespaces go anyway, and with them every route and nft table in them, so the daemons get
     * only a short grace period (BIRD alone spends about 2 s on a graceful shutdown).
     */
    static void remove(StateDir state) {
        removeContainers(state.ledger().containers);
        Processes.stopAll(state.ledger().processes, 200);
        deleteNamespaces(state.ledger().namespaces);
        state.delete();
    }

    /**
     * Ends whatever still runs inside namespaces of ours (by pid) before the namespaces go: a
     * process whose record was lost would otherwise live on in a namespace nobody can name.
     * SIGKILL takes effect when the process next runs, and a JVM's threads and heap take a moment
     * to go on a busy machine: one wait (at most {@link Signals#GONE}) for all of them, so that down
     * never returns while they are still there. A zombie has ended (its parent, maybe init, reaps it).
     */
    private static void deleteNamespaces(List<String> namespaces) {
        List<ProcessHandle> killed = new ArrayList<>();
        for (String ns : namespaces) {
            for (String pid : Commands.run(List.of("ip", "netns", "pids", ns)).stdout().split("\\s+")) {
                if (!pid.isBlank()) {
                    ProcessHandle.of(Long.parseLong(pid.trim())).filter(ProcessHandle::destroyForcibly).ifPresent(killed::add);
                }
            }
        }
        if (!killed.isEmpty()) {
            Signals.await(() -> killed.stream().noneMatch(NetnsBackend::running), Signals.GONE);
        }
        for (String ns : namespaces) {
            Commands.run(List.of("ip", "netns", "del", ns));
        }
    }

    private static boolean running(ProcessHandle h) {
        return Processes.state(h.pid()).filter(st -> !st.equals("Z") && !st.equals("X")).isPresent();
    }

    private static void removeContainers(List<String> names) {
        if (names.isEmpty()) {
            return;
        }
        Optional<String> engine = DockerEngine.whyNot();
        if (engine.isPresent()) {
            System.err.println("containers " + String.join(", ", names) + " not removed: " + engine.get());
            return;
        }
        names.parallelStream().forEach(Containers::remove);
    }

    @Override
    public List<String> sweepUnrecorded(String name) {
        List<String> removed = new ArrayList<>();
        if (DockerEngine.whyNot().isEmpty()) {
            for (String c : Containers.labelled(name)) {
                Containers.remove(c);
                removed.add("container " + c);
            }
        }
        List<String> namespaces = Commands.run(List.of("ip", "netns", "list")).stdout().lines()
                .map(l -> l.split(" ")[0]).filter(n -> n.startsWith(PREFIX + name)).toList();
        deleteNamespaces(namespaces);
        removed.addAll(namespaces);
        removed.addAll(Processes.stopOrphans(name));
        return removed;
    }
}
