package dev.loxiharness.harness.kind;

import static dev.loxiharness.harness.kind.Yaml.map;
import static dev.loxiharness.harness.kind.Yaml.readAll;
import static dev.loxiharness.harness.kind.Yaml.write;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loxiharness.harness.model.Topology;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Real Calico in BGP mode with no encapsulation, from the release's own manifest: the settings of
 * the topology file go into the {@code calico-node} container's environment (pool CIDR and block
 * size, IP-in-IP and VXLAN {@code Never}, the node address found on the nodes' network), every
 * container is told never to pull (the images are imported into the nodes), the BGP configuration
 * (AS, node-to-node mesh) is a {@code BGPConfiguration} object, and calico-node reaches the API
 * server directly (the {@code kubernetes-services-endpoint} ConfigMap), since a host-network pod
 * has no route to the service CIDR before Calico runs.
 */
public final class CalicoConfig {
    public static final List<String> COMPONENTS = List.of("calico/node", "calico/cni", "calico/kube-controllers");

    private CalicoConfig() {
    }

    /**
     * The images of the release as its manifest names them: {@code docker.io/calico/node:v3.29.3}
     * and its two siblings up to v3.30, {@code quay.io/...} from v3.31 (read from the releases'
     * manifests/calico.yaml). Where the manifest is at hand, {@link #imagesOf} it says for itself.
     */
    public static List<String> images(Topology.CalicoCluster calico) {
        String[] v = calico.version().substring(1).split("\\.");
        String registry = Integer.parseInt(v[0]) > 3 || Integer.parseInt(v[1]) >= 31 ? "quay.io/" : "docker.io/";
        return COMPONENTS.stream().map(c -> registry + c + ":" + calico.version()).toList();
    }

    /** The environment the {@code calico-node} container gets, over the manifest's defaults. */
    public static Map<String, String> nodeEnv(Topology t, ClusterLayout layout) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CALICO_NETWORKING_BACKEND", "bird");
        env.put("CALICO_IPV4POOL_CIDR", layout.podCidr());
        env.put("CALICO_IPV4POOL_BLOCK_SIZE", Integer.toString(layout.blockSize()));
        env.put("CALICO_IPV4POOL_IPIP", "Never");
        env.put("CALICO_IPV4POOL_VXLAN", "Never");
        env.put("CALICO_IPV6POOL_VXLAN", "Never");
        env.put("IP_AUTODETECTION_METHOD", "cidr=" + t.networks().get(layout.controlPlane().network()).subnet());
        env.put("FELIX_IPINIPENABLED", "false");
        return env;
    }

    /** Points calico-node and the CNI plugin at the API server itself rather than at the service IP. */
    public static String servicesEndpoint(ClusterLayout layout) {
        return write(List.of(map("apiVersion", "v1", "kind", "ConfigMap",
                "metadata", map("name", "kubernetes-services-endpoint", "namespace", "kube-system"),
                "data", map("KUBERNETES_SERVICE_HOST", layout.controlPlane().ip(), "KUBERNETES_SERVICE_PORT", "6443"))));
    }

    /** The cluster's BGP settings: Calico's AS and whether nodes mesh with each other. */
    public static String bgpConfiguration(Topology.CalicoCluster calico) {
        return write(List.of(map("apiVersion", "crd.projectcalico.org/v1", "kind", "BGPConfiguration",
                "metadata", map("name", "default"),
                "spec", map("asNumber", calico.asNumber(), "nodeToNodeMeshEnabled", calico.nodeToNodeMesh(), "logSeverityScreen", "Info"))));
    }

    /**
     * The release manifest with the topology's settings: {@link #nodeEnv} set on the calico-node
     * container (replacing the manifest's values), {@code imagePullPolicy: Never} on every container.
     */
    public static String patchManifest(String manifest, Map<String, String> env) {
        List<JsonNode> docs = readAll(manifest);
        boolean found = false;
        for (JsonNode doc : docs) {
            neverPull(doc);
            if ("DaemonSet".equals(doc.path("kind").asText()) && "calico-node".equals(doc.path("metadata").path("name").asText())) {
                for (JsonNode c : doc.path("spec").path("template").path("spec").path("containers")) {
                    if ("calico-node".equals(c.path("name").asText())) {
                        setEnv((ObjectNode) c, env);
                        found = true;
                    }
                }
            }
        }
        if (!found) {
            throw new IllegalArgumentException("the Calico manifest has no DaemonSet calico-node with a container calico-node:"
                    + " is it the release's manifests/calico.yaml?");
        }
        return write(docs);
    }

    /**
     * A manifest of the topology file as the real cluster takes it: Calico's {@code projectcalico.org/v3}
     * objects (what the seed applies with calicoctl) as the {@code crd.projectcalico.org/v1}
     * resources the manifest install serves, and no container that pulls.
     */
    public static String forCluster(String manifest) {
        List<JsonNode> docs = readAll(manifest);
        for (JsonNode doc : docs) {
            if ("projectcalico.org/v3".equals(doc.path("apiVersion").asText())) {
                ((ObjectNode) doc).put("apiVersion", "crd.projectcalico.org/v1");
            }
            neverPull(doc);
        }
        return write(docs);
    }

    /** The images a manifest's containers run (so {@code images} and the refusal can name them). */
    public static List<String> imagesOf(String manifest) {
        List<String> out = new ArrayList<>();
        for (JsonNode doc : readAll(manifest)) {
            for (ArrayNode list : containerLists(doc)) {
                list.forEach(c -> {
                    String image = c.path("image").asText("");
                    if (!image.isEmpty() && !out.contains(image)) {
                        out.add(image);
                    }
                });
            }
        }
        return out;
    }

    private static void setEnv(ObjectNode container, Map<String, String> env) {
        ArrayNode list = container.has("env") ? (ArrayNode) container.get("env") : container.putArray("env");
        Map<String, String> rest = new LinkedHashMap<>(env);
        for (JsonNode e : list) {
            String name = e.path("name").asText();
            if (rest.containsKey(name)) {
                ObjectNode o = (ObjectNode) e;
                o.remove("valueFrom");
                o.put("value", rest.remove(name));
            }
        }
        rest.forEach((k, v) -> list.addObject().put("name", k).put("value", v));
    }

    private static void neverPull(JsonNode doc) {
        for (ArrayNode list : containerLists(doc)) {
            list.forEach(c -> ((ObjectNode) c).put("imagePullPolicy", "Never"));
        }
    }

    /** The containers and init containers of a Pod, or of a workload's pod template. */
    private static List<ArrayNode> containerLists(JsonNode doc) {
        JsonNode spec = "Pod".equals(doc.path("kind").asText()) ? doc.path("spec") : doc.path("spec").path("template").path("spec");
        List<ArrayNode> lists = new ArrayList<>();
        for (String f : List.of("initContainers", "containers")) {
            if (spec.path(f).isArray()) {
                lists.add((ArrayNode) spec.path(f));
            }
        }
        return lists;
    }
}
