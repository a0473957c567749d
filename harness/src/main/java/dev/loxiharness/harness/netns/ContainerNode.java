package dev.loxiharness.harness.netns;

import dev.loxiharness.exec.ExecResult;
import dev.loxiharness.harness.backend.Daemon;
import dev.loxiharness.harness.docker.Containers;
import dev.loxiharness.harness.docker.Images;
import dev.loxiharness.harness.model.Topology;
import dev.loxiharness.harness.state.StateDir;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A node that is a Docker container ({@code image:} in the topology file), wired into the same
 * networks as the namespace nodes. The first daemon its roles start is the container's own process
 * (so {@code docker stop}/{@code docker start} restart it, as in the seed); files written before
 * that are copied in before it starts. Paths in it are its own, commands run by {@code docker exec}.
 */
final class ContainerNode extends NetworkNamespaceNode {
    static final List<String> DEFAULT_CAPS = List.of("NET_ADMIN", "NET_RAW");

    private final String topology;
    private final String container;
    private final StateDir state;
    private final Path home;
    private final Fabric fabric;
    private final Map<String, String> staged = new LinkedHashMap<>();
    private Boolean created;

    ContainerNode(String name, Topology.Node spec, String topology, String namespace, StateDir state, Path home, Fabric fabric) {
        super(name, spec, namespace);
        this.topology = topology;
        this.container = containerName(name, spec);
        this.state = state;
        this.home = home;
        this.fabric = fabric;
    }

    static String containerName(String node, Topology.Node spec) {
        return spec.container() != null && spec.container().name() != null ? spec.container().name() : node;
    }

    String container() {
        return container;
    }

    /** The image it runs: {@code loxiharness/loxilb} (and our other images) mean the build of this checkout. */
    String image() {
        return Images.resolve(spec().image(), home);
    }

    @Override
    public String describe() {
        return "container " + container + " (" + spec().image() + ")";
    }

    @Override
    public ExecResult exec(Duration timeout, String stdin, List<String> cmd) {
        return Containers.exec(container, cmd, stdin, timeout);
    }

    @Override
    public List<String> interactive(List<String> cmd) {
        List<String> argv = new ArrayList<>(List.of("docker", "exec", System.console() != null ? "-it" : "-i", container));
        argv.addAll(cmd);
        return argv;
    }

    @Override
    public String path(String nodePath) {
        return requireAbsolute(nodePath);
    }

    @Override
    public synchronized String writeFile(String nodePath, String content) {
        path(nodePath);
        if (created()) {
            Containers.copyFile(container, nodePath, content.getBytes(StandardCharsets.UTF_8), 0644);
        } else {
            staged.put(nodePath, content);
        }
        return nodePath;
    }

    @Override
    public synchronized void daemon(String what, List<String> argv) {
        if (created()) {
            Containers.execDetached(container, argv, log(what));
            return;
        }
        run(what, argv);
    }

    /**
     * Creates and starts the container with {@code argv} as its process (empty: the image's own),
     * then wires it; {@code what} names that process for faults ({@code ./topology fault lb kill loxilb}).
     */
    synchronized void run(String what, List<String> argv) {
        state.recordContainer(container);
        Containers.create(containerSpec(topology, name(), spec(), image(), what, argv));
        created = true;
        staged.forEach((p, content) -> Containers.copyFile(container, p, content.getBytes(StandardCharsets.UTF_8), 0644));
        staged.clear();
        Containers.start(container);
        wire();
    }

    /**
     * What the container of {@code node} is created with: NET_ADMIN and NET_RAW plus the file's
     * {@code capAdd}, privileged only when the file says so, our labels, forwarding on where the node
     * forwards. Made nothing; {@code ./topology plan} shows the same.
     */
    static Containers.Spec containerSpec(String topology, String node, Topology.Node spec, String image, String what, List<String> argv) {
        Topology.Container c = spec.container() != null ? spec.container() : Topology.Container.DEFAULTS;
        Set<String> caps = new LinkedHashSet<>(DEFAULT_CAPS);
        caps.addAll(c.capAdd());
        String name = containerName(node, spec);
        Map<String, String> labels = Map.of(Containers.TOPOLOGY_LABEL, topology, Containers.NODE_LABEL, node, Containers.DAEMON_LABEL, what);
        Map<String, String> sysctls = NetnsBackend.sysctls(spec);
        return new Containers.Spec(name, image, name, argv, List.copyOf(caps), c.privileged(), c.securityOpt(), c.tmpfs(), c.env(),
                labels, sysctls, c.volumes(), c.cgroupns());
    }

    /** Wires the running container (again, after a restart); false when it is not running or already wired. */
    boolean wire() {
        long pid = Containers.pid(container);
        return pid > 0 && fabric.wireContainer(name(), namespace(), pid);
    }

    /** Cuts the links of the stopped container (they come back with {@link #wire}). */
    void unwire() {
        fabric.unwireContainer(name(), namespace());
    }

    /**
     * Its process 1 as the daemon its label names (kill, stop, start, restart through the engine;
     * the container watch wires it again after a start), and the processes that one runs itself,
     * such as loxilb's gobgpd, by their pids on the host.
     */
    @Override
    public List<Daemon> daemons() {
        Optional<Map<String, String>> labels = Containers.existing(container);
        if (labels.isEmpty()) {
            return List.of();
        }
        ContainerDaemon main = new ContainerDaemon(container, labels.get().getOrDefault(Containers.DAEMON_LABEL, "main"));
        List<Daemon> out = new ArrayList<>(List.of(main));
        long pid = Containers.pid(container);
        if (pid > 0) {
            out.addAll(ChildDaemon.childrenOf(main.name(), pid));
        }
        return out;
    }

    private synchronized boolean created() {
        if (created == null) {
            created = Containers.existing(container).isPresent();
        }
        return created;
    }

    private static String log(String what) {
        return "/var/log/loxiharness-" + what.replace(' ', '-') + ".log";
    }

    @Override
    public String logTail(String what, int lines) {
        ExecResult r = exec("tail", "-n", Integer.toString(lines), log(what));
        return r.ok() ? r.stdout().stripTrailing() : Containers.logs(container, lines);
    }

}
