package dev.loxiharness.harness.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** What the schema cannot say: references, address conflicts, addresses inside their subnets. */
final class TopologyRules {
    record Problem(String path, String message) {
    }

    private TopologyRules() {
    }

    /** A manifest that is missing, or copied without {@code ${i}} (every copy would be the same objects). */
    private static Optional<Problem> manifest(Topology t, Topology.Manifest m, String at) {
        Path file = Manifests.file(t, m);
        if (!Files.isRegularFile(file)) {
            return Optional.of(new Problem(at, "no such file " + file));
        }
        try {
            if (m.count() > 1 && !Files.readString(file).contains(Topology.Manifest.INDEX)) {
                return Optional.of(new Problem(at + ".copies", m.count() + " copies of " + m.file() + ", which has no "
                        + Topology.Manifest.INDEX + ": every copy would be the same objects (put " + Topology.Manifest.INDEX
                        + " in their names)"));
            }
        } catch (IOException e) {
            return Optional.of(new Problem(at, "cannot read " + file + ": " + e.getMessage()));
        }
        return Optional.empty();
    }

    static List<Problem> check(Topology t) {
        List<Problem> out = new ArrayList<>();
        Map<String, String> owners = new HashMap<>();
        Set<String> k8sNodes = new HashSet<>();
        t.nodes().forEach((name, node) -> {
            String at = "nodes." + name;
            Set<String> ifNames = new HashSet<>();
            for (int i = 0; i < node.interfaces().size(); i++) {
                Topology.Interface itf = node.interfaces().get(i);
                String ip = at + ".interfaces[" + i + "]";
                Topology.Network net = t.networks().get(itf.network());
                if (net == null) {
                    out.add(new Problem(ip + ".network", "unknown network \"" + itf.network() + "\" (known: "
                            + String.join(", ", t.networks().keySet()) + ")"));
                } else if (!Cidr.parse(net.subnet()).contains(Cidr.parse(itf.ip() + "/32"))) {
                    out.add(new Problem(ip + ".address", itf.address() + " is outside " + itf.network() + " " + net.subnet()));
                }
                String ifName = node.interfaceName(i);
                if (!ifNames.add(ifName)) {
                    out.add(new Problem(ip + ".name", "interface name " + ifName + " used twice on " + name));
                }
                String other = owners.putIfAbsent(itf.ip(), name);
                if (other != null) {
                    out.add(new Problem(ip + ".address", itf.ip() + " is already " + other + "'s address"));
                }
            }
            for (int i = 0; i < node.loopback().size(); i++) {
                String ip = node.loopback().get(i).split("/")[0];
                String other = owners.putIfAbsent(ip, name);
                if (other != null) {
                    out.add(new Problem(at + ".loopback[" + i + "]", ip + " is already " + other + "'s address"));
                }
            }
            boolean kindNode = "kind".equals(t.backend()) && (node.has("control-plane") || node.has("calico-node"));
            if (node.container() != null && !node.isContainer() && !kindNode) {
                out.add(new Problem(at + ".container", "container: settings need an image: to run the node as a container"));
            }
            if (node.bgp() != null) {
                for (int i = 0; i < node.bgp().export().size(); i++) {
                    if (!t.networks().containsKey(node.bgp().export().get(i))) {
                        out.add(new Problem(at + ".bgp.export[" + i + "]", "unknown network \"" + node.bgp().export().get(i) + "\""));
                    }
                }
            }
            if ((node.has("calico-node") || node.has("kube-proxy") || node.has("control-plane")) && t.kubernetes() == null) {
                out.add(new Problem(at + ".roles", "Kubernetes roles need a kubernetes: section"));
            }
            if (node.has("calico-node")) {
                k8sNodes.add(name);
                if (node.interfaces().isEmpty()) {
                    out.add(new Problem(at + ".interfaces", "a calico-node needs an interface (its node address)"));
                }
            }
            if (node.loxilb() != null && !node.has("loxilb")) {
                out.add(new Problem(at + ".loxilb", "loxilb settings on a node without the loxilb role"));
            }
        });
        if (t.kubernetes() != null) {
            Cidr pods = Cidr.parse(t.kubernetes().podCidr());
            Set<String> blocks = new HashSet<>();
            t.nodes().forEach((name, node) -> {
                if (node.calico() == null) {
                    return;
                }
                for (int i = 0; i < node.calico().blocks().size(); i++) {
                    String b = node.calico().blocks().get(i);
                    Cidr c = Cidr.parse(b);
                    String at = "nodes." + name + ".calico.blocks[" + i + "]";
                    if (!pods.contains(c) || c.length() != t.kubernetes().blockSize()) {
                        out.add(new Problem(at, b + " is not a /" + t.kubernetes().blockSize() + " block of podCIDR "
                                + t.kubernetes().podCidr()));
                    }
                    if (c.network() != c.address()) {
                        out.add(new Problem(at, b + " has host bits set"));
                    }
                    if (!blocks.add(c.toString())) {
                        out.add(new Problem(at, b + " belongs to two nodes"));
                    }
                }
            });
            if (k8sNodes.isEmpty()) {
                out.add(new Problem("kubernetes", "no node has the calico-node role"));
            }
            if (t.source() != null) {
                for (int i = 0; i < t.kubernetes().manifests().size(); i++) {
                    manifest(t, t.kubernetes().manifests().get(i), "kubernetes.manifests[" + i + "]").ifPresent(out::add);
                }
            }
        }
        if (t.loadBalancer() != null && t.loadBalancer().controller() != null) {
            String n = t.loadBalancer().controller().node();
            if (!t.nodes().containsKey(n)) {
                out.add(new Problem("loadBalancer.controller.node", "unknown node \"" + n + "\""));
            }
            if (t.kubernetes() == null) {
                out.add(new Problem("loadBalancer.controller", "a controller needs a kubernetes: section"));
            }
        }
        for (int i = 0; i < t.checks().size(); i++) {
            Topology.Check c = t.checks().get(i);
            for (String ref : new String[] {c.node(), c.from()}) {
                if (ref != null && !t.nodes().containsKey(ref)) {
                    out.add(new Problem("checks[" + i + "]", "unknown node \"" + ref + "\""));
                }
            }
            if (c.type().equals("service") && t.kubernetes() == null) {
                out.add(new Problem("checks[" + i + "].type", "a service check needs a kubernetes: section"));
            }
        }
        return out;
    }
}
