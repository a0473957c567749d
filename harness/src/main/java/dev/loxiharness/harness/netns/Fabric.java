package dev.loxiharness.harness.netns;

import dev.loxiharness.console.Progress;
import dev.loxiharness.exec.Commands;
import dev.loxiharness.harness.model.Topology;
import dev.loxiharness.harness.state.StateDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The topology's wires: a namespace ({@code <prefix>-lan}) holding one bridge per network, and for
 * every interface of a node a veth pair made inside our namespaces (node side named as the file
 * says, switch side {@code vN} on the bridge), so the root namespace never holds a link of ours.
 *
 * <p>A container node's network namespace is the container's: once it runs, its namespace is
 * given our name ({@code ip netns attach NAME PID}) and wired the same way, the pair made from
 * our side straight into it, as upstream loxilb's CI wires its containers. A restarted container
 * has a new namespace, so it is attached and wired again ({@link #wireContainer}).
 */
final class Fabric {
    private final Topology topology;
    private final StateDir state;
    private final String lan;
    /** The switch-side port of every interface, by node: fixed, so a re-wired container gets the same ones. */
    private final Map<String, List<String>> ports = new LinkedHashMap<>();

    Fabric(Topology topology, StateDir state) {
        this.topology = topology;
        this.state = state;
        this.lan = lan(topology.name());
        ports.putAll(ports(topology));
    }

    /** The namespace holding the bridges of topology {@code name}. */
    static String lan(String name) {
        return NetnsBackend.prefix(name) + "-lan";
    }

    /** The switch-side port ({@code vN}) of each interface of each node, numbered in file order. */
    static Map<String, List<String>> ports(Topology topology) {
        Map<String, List<String>> ports = new LinkedHashMap<>();
        int port = 0;
        for (Map.Entry<String, Topology.Node> e : topology.nodes().entrySet()) {
            List<String> p = new ArrayList<>();
            for (int i = 0; i < e.getValue().interfaces().size(); i++) {
                p.add("v" + port++);
            }
            ports.put(e.getKey(), p);
        }
        return ports;
    }

    /** Makes the namespaces and the networks, and wires every namespace node; container nodes are wired as they start. */
    void wire(NetnsTopology topo, Progress progress) {
        List<String> made = new ArrayList<>(List.of(lan));
        topo.nodes().values().stream().filter(NamespaceNode.class::isInstance).forEach(n -> made.add(((NamespaceNode) n).namespace()));
        for (String ns : made) {
            state.recordNamespace(ns);
            Commands.run(List.of("ip", "netns", "add", ns)).orThrow();
        }
        IpBatch lanBatch = new IpBatch(lan).add("link set lo up");
        topology.networks().keySet().forEach(net -> lanBatch.add("link add " + net + " type bridge")
                .add("link set " + net + " up"));
        lanBatch.run();
        progress.step("namespaces: " + made.size() + " (" + lan + " holds the networks: "
                + String.join(", ", topology.networks().keySet()) + ")");
        int links = 0;
        for (String node : topology.nodes().keySet()) {
            if (topo.node(node) instanceof NamespaceNode) {
                wireNode(node, NetnsBackend.namespace(topology.name(), node));
                links += ports.get(node).size();
            }
        }
        progress.step("links: " + links + " interfaces on " + topology.networks().size() + " networks, addresses and routes set"
                + (links < ports.values().stream().mapToInt(List::size).sum() ? " (container nodes are wired as they start)" : ""));
    }

    /**
     * Gives the running container's network namespace (of its process {@code pid}) our name and
     * wires it, unless that namespace has it already; returns whether it wired.
     */
    synchronized boolean wireContainer(String node, String namespace, long pid) {
        Path ours = Path.of("/run/netns", namespace);
        Path theirs = Path.of("/proc/" + pid + "/ns/net");
        if (sameFile(ours, theirs)) {
            return false;
        }
        unwireContainer(node, namespace);
        if (!state.ledger().namespaces.contains(namespace)) {
            state.recordNamespace(namespace);
        }
        Commands.run(List.of("ip", "netns", "attach", namespace, Long.toString(pid))).orThrow();
        wireNode(node, namespace);
        return true;
    }

    /**
     * Cuts a stopped container's links and drops our name for its old namespace: the name alone
     * would keep that namespace alive, still answering ARP for the node's addresses. Deleting the
     * switch ports first removes the pairs at once (a namespace's own teardown is asynchronous, and
     * the ports' names are needed again when the container starts).
     */
    synchronized void unwireContainer(String node, String namespace) {
        IpBatch lanBatch = new IpBatch(lan);
        for (String port : ports.get(node)) {
            if (Commands.run(List.of("ip", "-n", lan, "link", "show", port)).ok()) {
                lanBatch.add("link del " + port);
            }
        }
        lanBatch.run();
        if (Files.exists(Path.of("/run/netns", namespace))) {
            Commands.run(List.of("ip", "netns", "del", namespace));
        }
    }

    private void wireNode(String nodeName, String namespace) {
        Topology.Node node = topology.nodes().get(nodeName);
        IpBatch b = new IpBatch(namespace).add("link set lo up");
        IpBatch lanBatch = new IpBatch(lan);
        for (int i = 0; i < node.interfaces().size(); i++) {
            Topology.Interface itf = node.interfaces().get(i);
            String swPort = ports.get(nodeName).get(i);
            b.add("link add " + node.interfaceName(i) + " address " + macOf(itf.address()) + " type veth peer name " + swPort
                    + " netns " + lan);
            b.add("addr add " + itf.address() + " dev " + node.interfaceName(i));
            b.add("link set " + node.interfaceName(i) + " up");
            lanBatch.add("link set " + swPort + " master " + itf.network()).add("link set " + swPort + " up");
        }
        node.loopback().forEach(a -> b.add("addr add " + a + " dev lo"));
        node.routes().forEach(r -> b.add("route replace " + r.to() + " via " + r.via()));
        b.run();
        lanBatch.run();
        Map<String, String> sysctls = NetnsBackend.sysctls(node);
        if (!sysctls.isEmpty()) {
            List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", namespace, "sysctl", "-qw"));
            sysctls.forEach((k, v) -> argv.add(k + "=" + v));
            Commands.run(argv).orThrow();
        }
    }

    /**
     * The interface's MAC address, made from its IPv4 address as Docker makes a container's
     * ({@code 02:42} then the four bytes): a restarted container keeps it, so its neighbours' ARP
     * caches stay right (a new MAC left them sending to the old one for about 5 s, until the
     * kernel's unicast probes failed).
     */
    static String macOf(String addressWithPrefix) {
        String[] bytes = addressWithPrefix.split("/")[0].split("\\.");
        StringBuilder mac = new StringBuilder("02:42");
        for (String b : bytes) {
            mac.append(String.format(":%02x", Integer.parseInt(b)));
        }
        return mac.toString();
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            return Files.exists(a) && Files.exists(b) && Files.getAttribute(a, "unix:ino").equals(Files.getAttribute(b, "unix:ino"))
                    && Files.getAttribute(a, "unix:dev").equals(Files.getAttribute(b, "unix:dev"));
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
