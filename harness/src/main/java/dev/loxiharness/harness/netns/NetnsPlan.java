package dev.loxiharness.harness.netns;

import dev.loxiharness.harness.backend.Backend;
import dev.loxiharness.harness.backend.Plan;
import dev.loxiharness.harness.docker.Containers;
import dev.loxiharness.harness.docker.DockerEngine;
import dev.loxiharness.harness.docker.Images;
import dev.loxiharness.harness.kube.KubeAgent;
import dev.loxiharness.harness.kube.KubeSimulation;
import dev.loxiharness.harness.model.Manifests;
import dev.loxiharness.harness.kind.ClusterLayout;
import dev.loxiharness.harness.model.Topology;
import dev.loxiharness.harness.roles.BgpSessions;
import dev.loxiharness.harness.roles.Roles;
import dev.loxiharness.harness.state.StateDir;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code up} would make of a topology on the netns backend, creating nothing. It is derived
 * from the code {@code up} runs wherever that code can run without making anything: the roles'
 * own {@code start} against a {@link PlannedNode} (so daemons, arguments and file paths are the
 * real ones), the fabric's port numbering and MAC rule, the container spec, the Kubernetes agent's
 * and controller's argv, calico-node's peer rules. It only looks outside: whether the state folder
 * exists, and whether the Docker engine has the images.
 */
final class NetnsPlan {
    private final Topology t;
    private final Path home;
    private final Path stateDir;
    private final String prefix;
    private final Backend backend;
    /** Whether the simulated control plane runs (the netns backend), with its controller in a node. */
    private final boolean simulatedKubernetes;

    NetnsPlan(Topology t, Path home, Backend backend, boolean simulatedKubernetes) {
        this.t = t;
        this.home = home;
        this.backend = backend;
        this.simulatedKubernetes = simulatedKubernetes;
        this.stateDir = StateDir.of(t.name());
        this.prefix = NetnsBackend.prefix(t.name());
    }

    Plan plan() {
        Plan p = new Plan().add("topology", topology()).add("networks", networks()).add("nodes", nodes());
        if (simulatedKubernetes && t.kubernetes() != null) {
            p.add("kubernetes (simulated)", kubernetes());
        }
        Topology.Controller c = t.loadBalancer() == null ? null : t.loadBalancer().controller();
        if (simulatedKubernetes && c != null) {
            p.add("load balancer controller", controller(c));
        }
        p.add("expected BGP sessions", sessions());
        if (t.nodes().values().stream().anyMatch(Topology.Node::isContainer)) {
            p.add("images", images());
        }
        return p.add("checks", checks());
    }

    List<String> topology() {
        boolean up = Files.exists(stateDir.resolve("state.json"));
        return List.of(
                "name          " + t.name(),
                "file          " + t.source(),
                "backend       " + backend.name() + ": " + backend.description(),
                "description   " + t.description(),
                "state folder  " + stateDir + (up ? " (exists: " + t.name() + " is up, so up would refuse; ./topology down " + t.name() + ")"
                        : " (made by up: the ledger of everything it makes)"),
                "name prefix   " + prefix + ": namespaces " + prefix + "-<node>, " + Fabric.lan(t.name()) + " (the networks)"
                        + (t.kubernetes() != null ? ", " + prefix + "-pod<N> (pods)" : ""));
    }

    List<String> networks() {
        List<String> out = new ArrayList<>();
        out.add("namespace " + Fabric.lan(t.name()) + " holds one bridge per network; each interface is a veth pair from the node to a port"
                + " on its bridge (no link in the root namespace)");
        Map<String, List<String>> ports = Fabric.ports(t);
        t.networks().forEach((net, n) -> {
            List<String> members = new ArrayList<>();
            t.nodes().forEach((name, node) -> {
                for (int i = 0; i < node.interfaces().size(); i++) {
                    Topology.Interface itf = node.interfaces().get(i);
                    if (itf.network().equals(net)) {
                        members.add(name + " " + node.interfaceName(i) + " " + itf.address() + " (port " + ports.get(name).get(i) + ")");
                    }
                }
            });
            out.add(String.format("%-10s %-18s bridge %s: %s", net, n.subnet(), net, members.isEmpty() ? "no interfaces" : String.join(", ", members)));
        });
        return out;
    }

    List<String> nodes() {
        List<String> out = new ArrayList<>();
        Map<String, List<String>> ports = Fabric.ports(t);
        Topology.Controller c = t.loadBalancer() == null ? null : t.loadBalancer().controller();
        t.nodes().forEach((name, node) -> {
            List<String> lines = new ArrayList<>();
            PlannedNode planned = planned(name, node);
            lines.add(name + ": " + planned.describe());
            if (node.isContainer()) {
                lines.add("  docker create " + dockerFlags(ContainerNode.containerSpec(t.name(), name, node, node.image(),
                        processOne(node, planned), List.of("ARGV"))));
                lines.add("  its network namespace is named " + planned.namespace() + " once it runs (ip netns attach) and wired as below;"
                        + " wired again after docker start (container watch)");
            } else {
                lines.add("  processes run as: ip netns exec " + planned.namespace() + " env PATH=" + home.resolve("bin/node") + ":$PATH ARGV");
            }
            for (int i = 0; i < node.interfaces().size(); i++) {
                Topology.Interface itf = node.interfaces().get(i);
                lines.add("  interface  " + node.interfaceName(i) + " " + itf.address() + " on " + itf.network() + " (MAC " + Fabric.macOf(itf.address())
                        + ", peer " + ports.get(name).get(i) + " in " + Fabric.lan(t.name()) + ")");
            }
            lines.add("  loopback   lo up" + (node.loopback().isEmpty() ? "" : ", " + String.join(", ", node.loopback())));
            node.routes().forEach(r -> lines.add("  route      " + r.to() + " via " + r.via()));
            NetnsBackend.sysctls(node).forEach((k, v) -> lines.add("  sysctl     " + k + "=" + v));
            lines.add("  roles      " + String.join(", ", node.roles()));
            for (String role : node.roles()) {
                roleLines(role, node, planned).forEach(l -> lines.add("    " + l));
            }
            if (simulatedKubernetes && c != null && name.equals(c.node())) {
                lines.add("    load balancer controller (mode " + c.mode() + "): started with the simulated Kubernetes, before the roles");
            }
            if (node.isContainer() && planned.wouldStart().isEmpty()) {
                lines.add("  process    the image's own command (no role starts a daemon in it)");
            }
            for (int i = 0; i < planned.wouldStart().size(); i++) {
                PlannedNode.Daemon d = planned.wouldStart().get(i);
                String how = !node.isContainer() ? "daemon" : i == 0 ? "process 1" : "docker exec";
                lines.add(String.format("  %-10s %s: %s", how, d.what(), String.join(" ", d.argv())));
            }
            if (node.isContainer() && !planned.wouldStart().isEmpty()) {
                lines.add("             (process 1 is the image's entrypoint's arguments when the entrypoint is "
                        + planned.wouldStart().get(0).argv().get(0) + ", else the entrypoint)");
            }
            planned.files().forEach((path, content) -> lines.add("  file       " + path + " (" + content.lines().count() + " lines"
                    + (node.isContainer() && !planned.wouldStart().isEmpty() ? ", copied in before it starts" : "") + ")"));
            out.add(String.join("\n", lines));
        });
        if (t.nodes().values().stream().anyMatch(Topology.Node::isContainer)) {
            out.add("container watch: a process on the host (java ... ContainerWatch " + t.name() + ") that wires restarted containers again");
        }
        return out;
    }

    /** The node as the real one would be, with the daemons and files its roles ask for written down. */
    private PlannedNode planned(String name, Topology.Node node) {
        String ns = NetnsBackend.namespace(t.name(), name);
        PlannedNode planned = node.isContainer()
                ? new PlannedNode(name, node, ns, "container " + ContainerNode.containerName(name, node) + " (" + node.image() + ")", p -> p)
                : new PlannedNode(name, node, ns, "namespace " + ns, p -> NamespaceNode.pathIn(stateDir, name, p));
        // in up's order: the simulated Kubernetes starts the controller in its node, then the roles start
        Topology.Controller c = t.loadBalancer() == null ? null : t.loadBalancer().controller();
        if (simulatedKubernetes && t.kubernetes() != null && c != null && name.equals(c.node())) {
            KubeAgent.controllerDaemons(stateDir, home, c).forEach(d -> planned.daemon(d.what(), d.argv()));
        }
        node.roles().forEach(r -> Roles.find(r).ifPresent(role -> role.start(planned, t)));
        return planned;
    }

    /** What each role does in the node, beyond the daemons it starts (listed with the node). */
    private List<String> roleLines(String role, Topology.Node node, PlannedNode planned) {
        return switch (role) {
            case "control-plane" -> List.of("control-plane: a Node of the simulated cluster labelled node-role.kubernetes.io/control-plane"
                    + " (the API server itself runs on the host's loopback)");
            case "kube-proxy" -> List.of("kube-proxy: no process; the simulated kube-proxy keeps nftables table ip kube-proxy here"
                    + " (ClusterIP and NodePort DNAT to the endpoints)");
            case "calico-node" -> List.of("calico-node: BIRD as calico-node renders it (IPAM blocks "
                    + String.join(", ", node.calico() == null ? List.of() : node.calico().blocks())
                    + " as blackholes); re-rendered and reloaded (birdc configure) when BGPPeers are applied");
            case "router" -> List.of(node.bgp() != null ? "router: BIRD, AS " + node.bgp().as() + ", exporting "
                    + (node.bgp().export().isEmpty() ? "nothing of its own" : String.join(", ", node.bgp().export()))
                    : "router: forwarding and static routes only (no bgp:)");
            case "loxilb" -> List.of("loxilb: the Java loxilb, REST on :11111" + (node.loxilb() != null && node.loxilb().bgp()
                    ? ", BGP mode: it spawns gobgpd with its gobgp config (gRPC 127.0.0.1:50051)" : ", no BGP (no -b)"));
            case "client" -> List.of("client: addresses and routes only; probes run in it");
            default -> Roles.find(role).isPresent() ? List.of(role) : List.of(role + ": run by nothing on this backend");
        };
    }

    /** The daemon a container node's process 1 is, as up labels it: a kind node's init, its first role daemon, else the image's own. */
    private static String processOne(Topology.Node node, PlannedNode planned) {
        return ClusterLayout.isKindNode(node) ? "init" : planned.wouldStart().isEmpty() ? "main" : planned.wouldStart().get(0).what();
    }

    private static String dockerFlags(Containers.Spec s) {
        StringBuilder b = new StringBuilder("--name " + s.name() + " --hostname " + s.hostname() + " --network none --restart unless-stopped");
        s.capAdd().forEach(c -> b.append(" --cap-add ").append(c));
        if (s.privileged()) {
            b.append(" --privileged");
        }
        s.securityOpt().forEach(o -> b.append(" --security-opt ").append(o));
        s.tmpfs().forEach(o -> b.append(" --tmpfs ").append(o));
        s.volumes().forEach(v -> b.append(" --volume ").append(v));
        if (s.cgroupns() != null) {
            b.append(" --cgroupns=").append(s.cgroupns());
        }
        s.env().forEach((k, v) -> b.append(" --env ").append(k).append('=').append(v));
        s.sysctls().forEach((k, v) -> b.append(" --sysctl ").append(k).append('=').append(v));
        s.labels().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> b.append(" --label ").append(e.getKey()).append('=').append(e.getValue()));
        return b.append(' ').append(s.image()).toString();
    }

    private List<String> kubernetes() {
        Topology.Kubernetes k = t.kubernetes();
        List<String> out = new ArrayList<>();
        out.add("process       kubernetes (simulated), on the host: " + String.join(" ", abbreviated(KubeAgent.agentArgv(t.name(), home))));
        out.add("API server    simulated, on 127.0.0.1 (a free port), kubeconfig " + KubeAgent.kubeconfig(stateDir));
        out.add("service CIDR  " + k.serviceCidr() + "   pod CIDR " + k.podCidr() + " in /" + k.blockSize() + " blocks");
        out.add("calico        AS " + k.calico().asNumber() + ", node-to-node mesh "
                + (k.calico().nodeToNodeMesh() ? "on" : "off"));
        List<String> kubeNodes = KubeSimulation.kubeNodes(t);
        for (String n : kubeNodes) {
            Topology.Node node = t.nodes().get(n);
            out.add("node          " + n + " InternalIP " + node.primaryAddress() + ", podCIDRs "
                    + (node.calico() == null ? "none" : String.join(", ", node.calico().blocks())));
        }
        for (Topology.Manifest m : Manifests.entries(t)) {
            Path file = Manifests.file(t, m);
            out.add(m.copied() ? KubeAgent.applyCopiesLine(file, m.count(), stateDir) : "kubectl apply -f " + file);
            try {
                for (Manifests.KubeObject o : Manifests.read(file)) {
                    out.add("  " + o.describe() + (m.copied() ? " x" + m.count() + " (" + Topology.Manifest.INDEX + " = 1.." + m.count() + ")" : "")
                            + objectNote(o, kubeNodes));
                }
            } catch (RuntimeException e) {
                out.add("  (cannot be read: " + e.getMessage() + ")");
            }
        }
        return out;
    }

    private String objectNote(Manifests.KubeObject o, List<String> kubeNodes) {
        if (o.kind().equals("Pod")) {
            List<String> images = new ArrayList<>();
            List<String> ports = new ArrayList<>();
            o.tree().path("spec").path("containers").forEach(c -> {
                images.add(c.path("image").asText());
                c.path("ports").forEach(port -> ports.add(port.path("containerPort").asText()));
            });
            if (images.isEmpty() || !images.stream().allMatch(KubeSimulation::runsImage)) {
                return ": stays Pending (the simulated kubelet runs nginx images only; images " + images + ")";
            }
            return ": scheduled to the node with the fewest pods (ties in file order: " + String.join(", ", kubeNodes) + "), runs as namespace "
                    + prefix + "-pod<N> with the host's nginx on port(s) " + String.join(", ", ports) + " (image " + String.join(", ", images)
                    + " is not run), its /32 from that node's blocks";
        }
        if (o.kind().equals("Service")) {
            String type = o.tree().path("spec").path("type").asText("ClusterIP");
            return ": " + type + ", ClusterIP from " + t.kubernetes().serviceCidr()
                    + (type.equals("LoadBalancer") || type.equals("NodePort") ? ", NodePort from 30000" : "")
                    + (type.equals("LoadBalancer") ? ", EXTERNAL-IP from the load balancer controller" : "");
        }
        if (o.kind().equals("BGPPeer")) {
            return ": calico-node peers with " + o.tree().path("spec").path("peerIP").asText() + " AS "
                    + o.tree().path("spec").path("asNumber").asText();
        }
        return "";
    }

    private List<String> controller(Topology.Controller c) {
        List<String> out = new ArrayList<>();
        out.add("mode          " + c.mode() + (c.mode().equals("ccm") ? " (loxi-ccm: settings in ConfigMap kube-system/loxilb-config)" : ""));
        out.add("node          " + c.node() + ", reaching the API server by a relay: 127.0.0.1:" + KubeAgent.IN_NODE_API_PORT
                + " there -> " + stateDir.resolve("apiserver.sock") + " -> the API server");
        out.add("apiServerURL  " + String.join(", ", c.apiServerUrl()));
        out.add("externalCIDR  " + c.externalCidr());
        out.add("setBGP        " + c.setBgp() + "   setLBMode " + c.setLbMode());
        out.add("relay (host)  " + String.join(" ", KubeAgent.rootRelayArgv(stateDir, "<API port>")));
        return out;
    }

    List<String> sessions() {
        return BgpSessions.sessions(t).stream().map(BgpSessions.Session::line).toList();
    }

    private List<String> images() {
        List<String> out = new ArrayList<>();
        Optional<String> engine = DockerEngine.whyNot();
        t.nodes().forEach((name, node) -> {
            if (!node.isContainer()) {
                return;
            }
            String image = node.image();
            StringBuilder line = new StringBuilder(name + ": " + image);
            if (Images.isOurs(image)) {
                line.append(" = built from this checkout, ").append(Images.resolve(image, home)).append(" (up builds it when missing)");
            }
            String tag = Images.resolve(image, home);
            if (engine.isPresent()) {
                line.append(": Docker engine not running: presence unknown");
            } else {
                line.append(Images.present(tag) ? ": present" : ": missing" + (Images.isOurs(image) ? "" : " (" + Images.remedy(image) + ")"));
            }
            out.add(line.toString());
        });
        return out;
    }

    List<String> checks() {
        return t.checks().stream().map(c -> String.format("%-40s %s%s", c.name(), c.type(),
                c.node() != null ? " on " + c.node() : c.from() != null ? " from " + c.from() : "")).toList();
    }

    /** The argv with the class path shortened: it is this JVM's, long, and says nothing to a reader. */
    private static List<String> abbreviated(List<String> argv) {
        List<String> out = new ArrayList<>(argv);
        int cp = out.indexOf("-cp");
        if (cp >= 0 && cp + 1 < out.size()) {
            out.set(cp + 1, "<harness class path>");
        }
        return out;
    }
}
