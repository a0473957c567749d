package dev.loxiharness.harness.kind;

import dev.loxiharness.harness.model.Topology;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The kind cluster a topology file describes: which nodes are Kubernetes nodes (a node with the
 * {@code control-plane} or {@code calico-node} role), which one runs the control plane, their
 * addresses on the nodes' network, the Kubernetes version (the node image's tag) and the CIDRs.
 * Pure: derived from the file alone, so {@code plan} and {@code up} agree.
 */
public record ClusterLayout(String name, String nodeImage, String kubernetesVersion, ClusterNode controlPlane,
                            List<ClusterNode> workers, String podCidr, String serviceCidr, int blockSize) {
    /** The roles that make a node of the file a Kubernetes node. */
    public static final List<String> CLUSTER_ROLES = List.of("control-plane", "calico-node");
    /** What a cluster node's roles become: kubeadm and the real components replace the simulated roles. */
    public static final String CONTROL_PLANE_ROLE = "kind-control-plane";
    public static final String WORKER_ROLE = "kind-worker";
    private static final Pattern VERSION = Pattern.compile(":(v(\\d+)\\.(\\d+)\\.(\\d+))(@.*)?$");

    /** A Kubernetes node: the topology's node name, its container's name and its address on the nodes' network. */
    public record ClusterNode(String node, String container, String ip, String network) {
    }

    public static boolean isClusterNode(Topology.Node node) {
        return node.roles().stream().anyMatch(CLUSTER_ROLES::contains) || isKindNode(node);
    }

    /** A node that is a kind node container (after {@link KindTopology#expand}). */
    public static boolean isKindNode(Topology.Node node) {
        return node.has(CONTROL_PLANE_ROLE) || node.has(WORKER_ROLE);
    }

    public static ClusterLayout of(Topology t) {
        if (t.kubernetes() == null) {
            throw new IllegalArgumentException("topology " + t.name() + " has no kubernetes: section: backend kind runs a cluster");
        }
        ClusterNode cp = null;
        List<ClusterNode> workers = new ArrayList<>();
        for (Map.Entry<String, Topology.Node> e : t.nodes().entrySet()) {
            Topology.Node n = e.getValue();
            if (!isClusterNode(n)) {
                continue;
            }
            if (n.interfaces().isEmpty()) {
                throw new IllegalArgumentException("node " + e.getKey() + " is a Kubernetes node with no interface");
            }
            ClusterNode c = new ClusterNode(e.getKey(), containerName(t.name(), e.getKey(), n), n.interfaces().get(0).ip(),
                    n.interfaces().get(0).network());
            if (cp == null && (n.has("control-plane") || n.has(CONTROL_PLANE_ROLE))) {
                cp = c;
            } else {
                workers.add(c);
            }
        }
        if (cp == null) {
            throw new IllegalArgumentException("topology " + t.name() + ": no node has the control-plane role");
        }
        String image = t.kubernetes().kind().nodeImage();
        return new ClusterLayout(t.name(), image, kubernetesVersion(image), cp, List.copyOf(workers), t.kubernetes().podCidr(),
                t.kubernetes().serviceCidr(), t.kubernetes().blockSize());
    }

    /** kind names its node containers after the cluster; ours are {@code <topology>-<node>} unless the file names them. */
    static String containerName(String topology, String node, Topology.Node spec) {
        return spec.container() != null && spec.container().name() != null ? spec.container().name() : topology + "-" + node;
    }

    /** {@code v1.32.2} of {@code kindest/node:v1.32.2[@sha256:...]}. */
    static String kubernetesVersion(String nodeImage) {
        Matcher m = VERSION.matcher(nodeImage);
        if (!m.find()) {
            throw new IllegalArgumentException("node image " + nodeImage + " has no version tag (kindest/node:vMAJOR.MINOR.PATCH)");
        }
        return m.group(1);
    }

    /** The minor version (32 of v1.32.2): kubeadm's config API changes with it. */
    public int minor() {
        Matcher m = VERSION.matcher(":" + kubernetesVersion);
        m.find();
        return Integer.parseInt(m.group(3));
    }

    public List<ClusterNode> nodes() {
        List<ClusterNode> all = new ArrayList<>(List.of(controlPlane));
        all.addAll(workers);
        return all;
    }

    /** The nodes by topology node name. */
    public Map<String, ClusterNode> byNode() {
        Map<String, ClusterNode> m = new LinkedHashMap<>();
        nodes().forEach(n -> m.put(n.node(), n));
        return m;
    }

    /** The API server's endpoint, on the control plane's address (kubectl runs in the control plane). */
    public String apiServer() {
        return controlPlane.ip() + ":6443";
    }
}
