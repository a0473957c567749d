package dev.loxiharness.harness.kube;

import dev.loxiharness.exec.Commands;
import dev.loxiharness.harness.backend.Node;
import dev.loxiharness.harness.model.Cidr;
import dev.loxiharness.harness.model.Topology;
import dev.loxiharness.harness.state.Processes;
import dev.loxiharness.harness.state.StateDir;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Pods as the simulated kubelet runs them (netns backend): a network namespace per pod wired the
 * way Calico wires it (a /32 on eth0, default route via 169.254.1.1, a {@code cali*} veth with proxy
 * ARP and a /32 route on the node, made from inside the node), the address taken from the node's
 * IPAM blocks, and nginx serving the pod's container ports.
 */
final class PodSandboxes {
    /** A running pod sandbox. */
    record Sandbox(String key, String node, String ip, String namespace, String hostVeth, StateDir.ProcessRecord nginx) {
    }

    private final Topology topology;
    private final Map<String, Node> nodes;
    private final StateDir state;
    private final Map<String, Sandbox> sandboxes = new HashMap<>();
    private final Set<String> usedIps = new HashSet<>();
    private int counter;

    PodSandboxes(Topology topology, Map<String, Node> nodes, StateDir state) {
        this.topology = topology;
        this.nodes = nodes;
        this.state = state;
    }

    synchronized Sandbox get(String key) {
        return sandboxes.get(key);
    }

    synchronized Set<String> keys() {
        return Set.copyOf(sandboxes.keySet());
    }

    /** Starts pod {@code key} ({@code namespace/name}) on {@code node}, serving {@code ports} with nginx. */
    synchronized Sandbox start(String key, String node, List<Integer> ports) {
        String ip = allocate(node);
        Node host = nodes.get(node);
        String nsName = state.ledger().prefix + "-pod" + (++counter);
        String veth = "cali" + sha1(key).substring(0, 11);
        state.recordNamespace(nsName);
        Commands.run(List.of("ip", "netns", "add", nsName)).orThrow();
        Commands.run(List.of("ip", "-n", nsName, "-batch", "-"), "link set lo up\n", Duration.ofSeconds(10)).orThrow();
        host.exec(Duration.ofSeconds(10), null, List.of("sh", "-ec", String.join("; ",
                "ip link add " + veth + " type veth peer name eth0 netns " + nsName,
                "ip link set " + veth + " up", "ip route replace " + ip + "/32 dev " + veth,
                "sysctl -qw net.ipv4.conf." + veth + ".proxy_arp=1"))).orThrow();
        Commands.run(List.of("ip", "-n", nsName, "-batch", "-"), String.join("\n",
                "addr add " + ip + "/32 dev eth0", "link set eth0 up",
                "route add 169.254.1.1 dev eth0 scope link", "route add default via 169.254.1.1 dev eth0") + "\n",
                Duration.ofSeconds(10)).orThrow();
        Path conf = nginxConfig(key, node, ip, nsName, ports);
        StateDir.ProcessRecord nginx = Processes.start(state, nsName, "pod " + key + " nginx",
                List.of("ip", "netns", "exec", nsName, "nginx", "-c", conf.toString()), state.file(nsName + ".nginx.log"));
        Sandbox s = new Sandbox(key, node, ip, nsName, veth, nginx);
        sandboxes.put(key, s);
        return s;
    }

    synchronized void stop(String key) {
        Sandbox s = sandboxes.remove(key);
        if (s == null) {
            return;
        }
        // by the ledger, not s.nginx(): a fault may have started the pod's nginx again under a new pid
        for (StateDir.ProcessRecord r : List.copyOf(state.ledger().processes)) {
            if (r.namespace().equals(s.namespace())) {
                Processes.stop(r, 500);
                state.forgetProcess(r.pid());
            }
        }
        Commands.run(List.of("ip", "netns", "del", s.namespace()));
        usedIps.remove(s.ip());
    }

    private String allocate(String node) {
        var calico = topology.nodes().get(node).calico();
        if (calico != null) {
            for (String block : calico.blocks()) {
                Cidr b = Cidr.parse(block);
                long size = 1L << (32 - b.length());
                for (long i = 1; i < size - 1; i++) {
                    String ip = Cidr.ip(b.network() + i);
                    if (usedIps.add(ip)) {
                        return ip;
                    }
                }
            }
        }
        throw new IllegalStateException("node " + node + " has no free address in its Calico blocks");
    }

    private Path nginxConfig(String key, String node, String ip, String nsName, List<Integer> ports) {
        try {
            Path root = Files.createDirectories(state.file(nsName + "-www"));
            Files.writeString(root.resolve("index.html"), "pod " + key.replaceFirst("@.*", "") + " on " + node + " (" + ip + ")\n");
            StringBuilder listen = new StringBuilder();
            (ports.isEmpty() ? List.of(80) : ports).forEach(p -> listen.append(" listen ").append(p).append(";"));
            Path conf = state.file(nsName + ".nginx.conf");
            Files.writeString(conf, "daemon off; master_process off; user root; pid " + state.file(nsName + ".nginx.pid")
                    + "; error_log " + state.file(nsName + ".nginx.err") + ";\nevents {}\nhttp { access_log off;"
                    + " server {" + listen + " root " + root + "; location = /ip { return 200 \"$remote_addr\\n\"; } } }\n");
            return conf;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha1(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
