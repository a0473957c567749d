package dev.loxiharness.harness.kind;

import static dev.loxiharness.harness.kind.Yaml.map;
import static dev.loxiharness.harness.kind.Yaml.write;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code /kind/kubeadm.conf} of each node, as kind writes it: kubeadm's {@code v1beta3} API
 * below Kubernetes 1.36 and {@code v1beta4} from 1.36 (where extra arguments become lists of
 * name/value pairs), the node's kubelet pinned to its address on the nodes' network
 * ({@code node-ip}), the API server advertised there, the pod and service CIDRs of the file,
 * kind's kubelet settings for a node in a container (no swap check, no disk-pressure eviction,
 * systemd cgroups) and a fixed bootstrap token the workers join with.
 */
public final class KubeadmConfig {
    /** kind's well-known token: the cluster lives only as long as the topology and is reached only from inside it. */
    public static final String TOKEN = "abcdef.0123456789abcdef";
    public static final String PATH = "/kind/kubeadm.conf";
    /** Preflight checks would pull images (ours are imported) and trip over a node in a container; kind skips them in the config. */
    static final List<String> SKIP_PHASES = List.of("preflight");

    private KubeadmConfig() {
    }

    public static String apiVersion(ClusterLayout layout) {
        return layout.minor() >= 36 ? "kubeadm.k8s.io/v1beta4" : "kubeadm.k8s.io/v1beta3";
    }

    /** The control plane's config: cluster, init, kubelet and kube-proxy documents. */
    public static String init(ClusterLayout layout) {
        ClusterLayout.ClusterNode cp = layout.controlPlane();
        Map<String, Object> cluster = doc(apiVersion(layout), "ClusterConfiguration");
        cluster.put("kubernetesVersion", layout.kubernetesVersion());
        cluster.put("clusterName", layout.name());
        cluster.put("controlPlaneEndpoint", layout.apiServer());
        cluster.put("apiServer", Map.of("certSANs", List.of("localhost", "127.0.0.1", cp.ip())));
        cluster.put("controllerManager", map("extraArgs", args(layout, Map.of("enable-hostpath-provisioner", "true"))));
        cluster.put("networking", map("podSubnet", layout.podCidr(), "serviceSubnet", layout.serviceCidr(), "dnsDomain", "cluster.local"));

        Map<String, Object> init = doc(apiVersion(layout), "InitConfiguration");
        init.put("bootstrapTokens", List.of(map("token", TOKEN)));
        init.put("localAPIEndpoint", map("advertiseAddress", cp.ip(), "bindPort", 6443));
        init.put("nodeRegistration", nodeRegistration(layout, cp));
        init.put("skipPhases", SKIP_PHASES);

        Map<String, Object> kubelet = doc("kubelet.config.k8s.io/v1beta1", "KubeletConfiguration");
        kubelet.put("cgroupDriver", "systemd");
        kubelet.put("cgroupRoot", "/kubelet");
        kubelet.put("failSwapOn", false);
        kubelet.put("imageGCHighThresholdPercent", 100);
        kubelet.put("evictionHard", map("nodefs.available", "0%", "nodefs.inodesFree", "0%", "imagefs.available", "0%"));

        Map<String, Object> proxy = doc("kubeproxy.config.k8s.io/v1alpha1", "KubeProxyConfiguration");
        proxy.put("mode", "iptables");
        proxy.put("iptables", map("minSyncPeriod", "1s"));
        proxy.put("conntrack", map("maxPerCore", 0));
        return write(List.of(cluster, init, kubelet, proxy));
    }

    /** A worker's config: join the control plane with the fixed token. */
    public static String join(ClusterLayout layout, ClusterLayout.ClusterNode node) {
        Map<String, Object> join = doc(apiVersion(layout), "JoinConfiguration");
        join.put("discovery", map("bootstrapToken", map("apiServerEndpoint", layout.apiServer(), "token", TOKEN,
                "unsafeSkipCAVerification", true)));
        join.put("nodeRegistration", nodeRegistration(layout, node));
        join.put("skipPhases", SKIP_PHASES);
        return write(List.of(join));
    }

    /** The config of {@code node}: init for the control plane, join for a worker. */
    public static String forNode(ClusterLayout layout, ClusterLayout.ClusterNode node) {
        return node.equals(layout.controlPlane()) ? init(layout) : join(layout, node);
    }

    private static Map<String, Object> nodeRegistration(ClusterLayout layout, ClusterLayout.ClusterNode node) {
        return map("name", node.container(), "criSocket", "unix:///run/containerd/containerd.sock",
                "kubeletExtraArgs", args(layout, Map.of("node-ip", node.ip(), "provider-id", "kind://docker/" + layout.name() + "/"
                        + node.container())));
    }

    /** Extra arguments: a map in v1beta3, a list of {@code {name, value}} in v1beta4. */
    private static Object args(ClusterLayout layout, Map<String, String> args) {
        Map<String, String> sorted = new TreeMap<>(args);
        if (layout.minor() < 36) {
            return new LinkedHashMap<>(sorted);
        }
        List<Map<String, Object>> list = new ArrayList<>();
        sorted.forEach((k, v) -> list.add(map("name", k, "value", v)));
        return list;
    }

    private static Map<String, Object> doc(String apiVersion, String kind) {
        return map("apiVersion", apiVersion, "kind", kind);
    }
}
