package dev.loxiharness.controller.k8s;

import dev.loxiharness.controller.config.Mode;
import dev.loxiharness.controller.ipam.Ipv4;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which nodes a Service's traffic goes to, as the upstream controllers decide it: every Ready node
 * not labelled {@code node.kubernetes.io/exclude-from-external-load-balancers}, addressed by its
 * InternalIP (else its first address), and for {@code externalTrafficPolicy: Local} only the nodes
 * that host a ready endpoint of the Service (from its EndpointSlices).
 */
public final class EndpointCalculator {
    public static final String EXCLUDE_LABEL = "node.kubernetes.io/exclude-from-external-load-balancers";
    /** loxi-ccm spreads this much weight over a rule's endpoints. */
    static final int CCM_TOTAL_WEIGHT = 10;

    private EndpointCalculator() {
    }

    /** A node that can take traffic: its name and the IPv4 address loxilb sends to. */
    public record NodeTarget(String name, String ip) {
    }

    /** Ready, not excluded nodes with an IPv4 address, sorted by address. */
    public static List<NodeTarget> readyNodes(Collection<Node> nodes) {
        Map<Long, NodeTarget> byIp = new TreeMap<>();
        for (Node node : nodes) {
            if (!isReady(node) || excluded(node)) {
                continue;
            }
            String ip = address(node);
            if (ip != null) {
                byIp.put(Ipv4.parse(ip), new NodeTarget(node.getMetadata().getName(), ip));
            }
        }
        return List.copyOf(byIp.values());
    }

    /** The node addresses of the Service's rules, sorted. */
    public static List<String> endpointIps(Service service, Collection<Node> nodes, Collection<EndpointSlice> slices) {
        List<NodeTarget> ready = readyNodes(nodes);
        boolean local = "Local".equals(service.getSpec() == null ? null : service.getSpec().getExternalTrafficPolicy());
        Set<String> withEndpoint = local ? nodesWithReadyEndpoint(slices) : null;
        List<String> ips = new ArrayList<>();
        for (NodeTarget t : ready) {
            if (withEndpoint == null || withEndpoint.contains(t.name())) {
                ips.add(t.ip());
            }
        }
        return ips;
    }

    /** Nodes that host at least one ready endpoint ({@code ready} unset counts as ready, as the API says). */
    static Set<String> nodesWithReadyEndpoint(Collection<EndpointSlice> slices) {
        Set<String> names = new HashSet<>();
        for (EndpointSlice slice : slices) {
            if (slice.getEndpoints() == null) {
                continue;
            }
            for (Endpoint ep : slice.getEndpoints()) {
                boolean ready = ep.getConditions() == null || ep.getConditions().getReady() == null
                        || Boolean.TRUE.equals(ep.getConditions().getReady());
                if (ready && ep.getNodeName() != null) {
                    names.add(ep.getNodeName());
                }
            }
        }
        return names;
    }

    /**
     * Endpoint weights as upstream: kube-loxilb gives every endpoint 1; loxi-ccm shares 10 out,
     * the remainder going one by one to the first endpoints (3 endpoints: 4, 3, 3).
     */
    public static List<Integer> weights(Mode mode, int count) {
        List<Integer> weights = new ArrayList<>(count);
        if (count == 0) {
            return weights;
        }
        if (mode == Mode.KUBE_LOXILB) {
            for (int i = 0; i < count; i++) {
                weights.add(1);
            }
            return weights;
        }
        int each = CCM_TOTAL_WEIGHT / count;
        int remainder = CCM_TOTAL_WEIGHT % count;
        for (int i = 0; i < count; i++) {
            int w = each;
            if (remainder > 0) {
                w++;
                remainder--;
            }
            // Past 10 endpoints loxi-ccm's integer share is 0; loxilb needs a weight, so 1.
            weights.add(Math.max(w, 1));
        }
        return weights;
    }

    static boolean isReady(Node node) {
        if (node.getStatus() == null || node.getStatus().getConditions() == null) {
            return false;
        }
        for (NodeCondition c : node.getStatus().getConditions()) {
            if ("Ready".equals(c.getType())) {
                return "True".equals(c.getStatus());
            }
        }
        return false;
    }

    static boolean excluded(Node node) {
        Map<String, String> labels = node.getMetadata() == null ? null : node.getMetadata().getLabels();
        return labels != null && labels.containsKey(EXCLUDE_LABEL);
    }

    /** The node's InternalIP, else its first IPv4 address, or null. */
    static String address(Node node) {
        if (node.getStatus() == null || node.getStatus().getAddresses() == null) {
            return null;
        }
        List<NodeAddress> addrs = node.getStatus().getAddresses();
        for (NodeAddress a : addrs) {
            if ("InternalIP".equals(a.getType()) && Ipv4.isValid(a.getAddress())) {
                return a.getAddress();
            }
        }
        for (NodeAddress a : addrs) {
            if (Ipv4.isValid(a.getAddress())) {
                return a.getAddress();
            }
        }
        return null;
    }
}
