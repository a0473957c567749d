package dev.loxiharness.harness.kube;

import dev.loxiharness.apiserver.SimulatedApiServer;
import dev.loxiharness.console.Progress;
import dev.loxiharness.exec.Host;
import dev.loxiharness.harness.backend.Backends;
import dev.loxiharness.harness.backend.Kubectl;
import dev.loxiharness.harness.backend.Node;
import dev.loxiharness.harness.backend.RunningTopology;
import dev.loxiharness.harness.jvm.ClassArchive;
import dev.loxiharness.harness.model.Manifests;
import dev.loxiharness.harness.model.Topology;
import dev.loxiharness.harness.state.Processes;
import dev.loxiharness.harness.state.StateDir;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

/**
 * The simulated Kubernetes control plane of a netns topology, run as a process of its own (it
 * outlives {@code ./topology up}; {@link #main} is its entry point): the API server on 127.0.0.1 with a kubeconfig in the state
 * folder, the {@link KubeSimulation}, and the load-balancer controller inside the control-plane
 * node, which reaches the API server through a socket relay (loopback in the node, a UNIX socket
 * across, loopback in the root namespace) and loxilb over the nodes' network, as in a cluster.
 */
public final class KubeAgent {
    public static final String READY = "kubernetes.ready";
    public static final int IN_NODE_API_PORT = 6443;
    private static final Duration APPLY_TIMEOUT = Duration.ofMinutes(5);

    private KubeAgent() {
    }

    public static Path kubeconfig(StateDir state) {
        return kubeconfig(state.dir());
    }

    /** The kubeconfig of the API server of the topology whose state folder is {@code stateDir}. */
    public static Path kubeconfig(Path stateDir) {
        return stateDir.resolve("kubeconfig");
    }

    /** A program the agent starts in the controller's node: what it is, and its argv there. */
    public record InNodeDaemon(String what, List<String> argv) {
    }

    /** The agent process's argv: this JVM's java and class path, running {@link #main} for topology {@code name}. */
    public static List<String> agentArgv(String name, Path home) {
        List<String> argv = new ArrayList<>(List.of(Host.java(),
                "-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        ClassArchive.kubeAgent().ifPresent(a -> argv.addAll(a.options()));
        argv.addAll(List.of("-D" + Host.HOME_PROPERTY + "=" + home, "-Dloxiharness.state=" + StateDir.ROOT,
                "-cp", System.getProperty("java.class.path"), KubeAgent.class.getName(), name));
        return List.copyOf(argv);
    }

    /** The relay on the root side: the API server's UNIX socket in the state folder, to its loopback port. */
    public static List<String> rootRelayArgv(Path stateDir, String apiPort) {
        return List.of("socat", "UNIX-LISTEN:" + socket(stateDir) + ",fork,mode=600", "TCP:127.0.0.1:" + apiPort);
    }

    /** Starts the agent process for {@code topo}; {@link #awaitReady} waits for it. */
    public static StateDir.ProcessRecord launch(RunningTopology topo, Path home) {
        StateDir state = topo.state();
        StateDir.ProcessRecord agent = Processes.start(state, "", "kubernetes (simulated)", agentArgv(topo.name(), home),
                state.file("kubernetes.log"));
        Topology.LoadBalancer lb = topo.topology().loadBalancer();
        if (lb != null && lb.controller() != null) {
            // started now, in parallel with everything else: it waits for the API server by itself
            startController(topo, home, lb.controller());
        }
        return agent;
    }

    /** Waits until the agent's API server answers and its controllers run. */
    public static void awaitReady(RunningTopology topo, StateDir.ProcessRecord agent, Progress progress) {
        StateDir state = topo.state();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!Files.exists(state.file(READY))) {
            if (!Processes.alive(agent) || System.nanoTime() > deadline) {
                throw new IllegalStateException("the simulated Kubernetes control plane did not start; its log:\n" + tail(state.file("kubernetes.log")));
            }
            sleep(20);
        }
        progress.step("kubernetes: simulated API server " + read(state.file(READY)) + ", KUBECONFIG=" + kubeconfig(state));
    }

    /**
     * Applies the topology's manifests with the real kubectl, in order. A copied entry's expanded
     * documents are written to one file in the state folder and applied server-side in one kubectl
     * run: 1,000 Services in about 4 s, where client-side apply (a GET before every POST) takes twice that.
     */
    public static void applyManifests(RunningTopology topo, Progress progress) {
        Kubectl kubectl = topo.kubectl();
        Topology t = topo.topology();
        for (Topology.Manifest m : Manifests.entries(t)) {
            List<String> args;
            if (m.copied()) {
                Path expanded = expandedFile(topo.state().dir(), Manifests.file(t, m), m.count());
                write(expanded, Manifests.text(t, m).stripTrailing());
                args = applyCopiesArgs(expanded);
            } else {
                args = List.of("apply", "-f", Manifests.file(t, m).toString());
            }
            var r = kubectl.run(APPLY_TIMEOUT, args);
            if (!r.ok()) {
                throw new IllegalStateException("kubectl " + String.join(" ", args) + " failed: " + r.stderr().strip());
            }
            progress.step(m.copied() ? "kubectl " + String.join(" ", args) + " (" + m.file() + " x" + m.count() + "): " + counted(r.stdout())
                    : "kubectl apply -f " + m.file() + ": " + r.stdout().strip().replace("\n", "; "));
        }
    }

    /** What {@code ./topology plan} shows for a copied manifest: the command {@link #applyManifests} runs. */
    public static String applyCopiesLine(Path file, int copies, Path stateDir) {
        return "kubectl " + String.join(" ", applyCopiesArgs(expandedFile(stateDir, file, copies)))
                + "   (" + file + " x" + copies + ", expanded there)";
    }

    private static List<String> applyCopiesArgs(Path expanded) {
        return List.of("apply", "--server-side", "-f", expanded.toString());
    }

    private static Path expandedFile(Path stateDir, Path file, int copies) {
        return stateDir.resolve(file.getFileName().toString().replaceFirst("\\.ya?ml$", "") + "-x" + copies + ".yaml");
    }

    /** kubectl's one line per object, counted by what happened: {@code 1000 serverside-applied}. */
    private static String counted(String out) {
        Map<String, Long> byVerb = out.lines().filter(l -> !l.isBlank()).collect(Collectors.groupingBy(
                l -> l.substring(l.lastIndexOf(' ') + 1), LinkedHashMap::new, Collectors.counting()));
        return byVerb.entrySet().stream().map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", "));
    }

    /** The agent process: {@code KubeAgent NAME} runs the control plane of topology NAME until SIGTERM. */
    public static void main(String[] args) throws InterruptedException {
        run(args[0]);
    }

    private static void run(String name) throws InterruptedException {
        RunningTopology topo = Backends.attach(name, Host.home());
        StateDir state = topo.state();
        Topology.Kubernetes k = topo.topology().kubernetes();
        SimulatedApiServer api = SimulatedApiServer.builder().host("127.0.0.1").port(0).serviceCidr(k.serviceCidr())
                .log(System.out::println).start();
        api.writeKubeconfig(kubeconfig(state));
        state.recordKubernetes(api.url(), kubeconfig(state).toString());
        KubeSimulation sim = new KubeSimulation(topo.topology(), topo.nodes(), state, api.client());
        sim.start();
        Topology.LoadBalancer lb = topo.topology().loadBalancer();
        if (lb != null && lb.controller() != null) {
            Processes.start(state, "", "apiserver relay (root side)", rootRelayArgv(state.dir(), Integer.toString(api.port())),
                    state.file("relay.log"));
        }
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sim.close();
            api.close();
            stop.countDown();
        }, "kubernetes-agent-stop"));
        write(state.file(READY), api.url());
        System.out.println("kubernetes: simulated control plane ready (netns backend)");
        stop.await();
    }

    private static Path socket(Path stateDir) {
        return stateDir.resolve("apiserver.sock");
    }

    /**
     * The controller in its node, with a kubeconfig for 127.0.0.1:6443 there, which a relay carries
     * to the API server's UNIX socket in the state folder (the root side is started by the agent).
     */
    private static void startController(RunningTopology topo, Path home, Topology.Controller c) {
        StateDir state = topo.state();
        write(controllerKubeconfig(state.dir(), c), "# kubeconfig of the SIMULATED Kubernetes API server, as seen from node " + c.node() + "\n"
                + "apiVersion: v1\nkind: Config\n"
                + "clusters:\n- name: sim\n  cluster:\n    server: http://127.0.0.1:" + IN_NODE_API_PORT + "\n"
                + "users:\n- name: sim\n  user:\n    token: simulated-no-authentication\n"
                + "contexts:\n- name: sim\n  context:\n    cluster: sim\n    user: sim\n    namespace: default\n"
                + "current-context: sim\n");
        Node node = topo.node(c.node());
        controllerDaemons(state.dir(), home, c).forEach(d -> node.daemon(d.what(), d.argv()));
    }

    /** The kubeconfig the controller uses in its node (127.0.0.1:6443 there, carried by the relay). */
    private static Path controllerKubeconfig(Path stateDir, Topology.Controller c) {
        return stateDir.resolve("kubeconfig-" + c.node());
    }

    /**
     * What runs in the controller's node, in order: the relay from 127.0.0.1:6443 there to the API
     * server's socket, then the controller. Makes nothing; {@code ./topology plan} shows the same.
     */
    public static List<InNodeDaemon> controllerDaemons(Path stateDir, Path home, Topology.Controller c) {
        List<String> cmd = new ArrayList<>(List.of(Host.java(),
                "-Xmx96m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        ClassArchive archive = ClassArchive.controller(home);
        cmd.addAll(archive.options());
        cmd.addAll(List.of("-jar", archive.jar().toString(), "--mode=" + c.mode(), "--kubeconfig=" + controllerKubeconfig(stateDir, c)));
        if (c.mode().equals("kube-loxilb")) {
            cmd.addAll(List.of("--loxiURL=" + String.join(",", c.apiServerUrl()), "--externalCIDR=" + c.externalCidr(),
                    "--setBGP=" + c.setBgp(), "--setLBMode=" + c.setLbMode()));
        }
        return List.of(new InNodeDaemon("apiserver relay", List.of("socat",
                        "TCP-LISTEN:" + IN_NODE_API_PORT + ",bind=127.0.0.1,reuseaddr,fork", "UNIX-CONNECT:" + socket(stateDir))),
                new InNodeDaemon("controller", List.copyOf(cmd)));
    }

    private static String tail(Path log) {
        List<String> lines = read(log).lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    }

    private static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p).strip() : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path p, String s) {
        try {
            Files.writeString(p, s + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
