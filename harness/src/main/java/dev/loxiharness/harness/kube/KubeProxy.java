package dev.loxiharness.harness.kube;

import dev.loxiharness.harness.backend.Node;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * kube-proxy's nftables mode in one node, simplified: ClusterIP and NodePort (on the node's
 * address) DNAT to the Service's endpoints; with externalTrafficPolicy Cluster the traffic is
 * masqueraded (it may leave for another node), with Local only this node's endpoints are used and
 * the client address is kept. The table is replaced whole, in one transaction, when it changes.
 */
final class KubeProxy {
    static final String TABLE = "kube-proxy";
    private final Map<String, String> applied = new HashMap<>();

    void reconcile(ClusterView view, String node, String nodeAddress, Node handle) {
        String script = render(view, node, nodeAddress);
        if (script.equals(applied.get(node))) {
            return;
        }
        handle.exec(Duration.ofSeconds(30), script, List.of("nft", "-f", "-")).orThrow();
        applied.put(node, script);
    }

    static String render(ClusterView view, String node, String nodeAddress) {
        StringBuilder chains = new StringBuilder();
        StringBuilder dispatch = new StringBuilder();
        Map<String, List<EndpointSlice>> slices = view.slicesByService();
        int n = 0;
        for (Service s : view.services()) {
            String cip = s.getSpec().getClusterIP();
            boolean local = "Local".equals(s.getSpec().getExternalTrafficPolicy());
            for (ServicePort sp : s.getSpec().getPorts()) {
                String proto = (sp.getProtocol() == null ? "TCP" : sp.getProtocol()).toLowerCase(Locale.ROOT);
                List<EndpointSlice> own = slices.getOrDefault(s.getMetadata().getNamespace() + "/" + s.getMetadata().getName(), List.of());
                List<String> all = endpoints(own, sp, null);
                if (cip != null && !cip.isEmpty() && !"None".equals(cip)) {
                    String chain = "svc" + n;
                    chains.append(chain(chain, proto, all, false));
                    dispatch.append("    ip daddr ").append(cip).append(' ').append(proto).append(" dport ")
                            .append(sp.getPort()).append(" jump ").append(chain).append('\n');
                }
                if (sp.getNodePort() != null && sp.getNodePort() > 0) {
                    String chain = "np" + n;
                    chains.append(chain(chain, proto, local ? endpoints(own, sp, node) : all, !local));
                    dispatch.append("    ip daddr ").append(nodeAddress).append(' ').append(proto).append(" dport ")
                            .append(sp.getNodePort()).append(" jump ").append(chain).append('\n');
                }
                n++;
            }
        }
        return "add table ip " + TABLE + "\ndelete table ip " + TABLE + "\ntable ip " + TABLE + " {\n"
                + "  chain services {\n" + dispatch + "  }\n"
                + "  chain prerouting {\n    type nat hook prerouting priority dstnat; policy accept;\n    jump services\n  }\n"
                + "  chain output {\n    type nat hook output priority -100; policy accept;\n    jump services\n  }\n"
                + "  chain postrouting {\n    type nat hook postrouting priority srcnat; policy accept;\n"
                + "    meta mark & 0x4000 == 0x4000 masquerade\n  }\n"
                + chains + "}\n";
    }

    private static String chain(String name, String proto, List<String> endpoints, boolean masquerade) {
        StringBuilder c = new StringBuilder("  chain ").append(name).append(" {\n");
        if (endpoints.isEmpty()) {
            return c.append("    drop\n  }\n").toString();
        }
        if (masquerade) {
            c.append("    meta mark set meta mark | 0x4000\n");
        }
        c.append("    meta l4proto ").append(proto).append(" dnat ip to numgen inc mod ").append(endpoints.size()).append(" map { ");
        for (int i = 0; i < endpoints.size(); i++) {
            c.append(i > 0 ? ", " : "").append(i).append(" : ").append(endpoints.get(i));
        }
        return c.append(" }\n  }\n").toString();
    }

    /** {@code ip . port} of the Service port's ready endpoints in the Service's slices, only those on {@code node} when given. */
    private static List<String> endpoints(List<EndpointSlice> slices, ServicePort sp, String node) {
        List<String> out = new ArrayList<>();
        String portName = sp.getName() == null ? "" : sp.getName();
        for (EndpointSlice e : slices) {
            Integer port = null;
            for (EndpointPort p : e.getPorts()) {
                if (portName.equals(p.getName() == null ? "" : p.getName())) {
                    port = p.getPort();
                }
            }
            if (port == null) {
                continue;
            }
            for (Endpoint ep : e.getEndpoints()) {
                boolean ready = ep.getConditions() == null || !Boolean.FALSE.equals(ep.getConditions().getReady());
                if (ready && (node == null || node.equals(ep.getNodeName()))) {
                    for (String a : ep.getAddresses()) {
                        out.add(a + " . " + port);
                    }
                }
            }
        }
        return out;
    }
}
