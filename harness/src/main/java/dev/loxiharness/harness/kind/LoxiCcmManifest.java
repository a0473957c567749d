package dev.loxiharness.harness.kind;

import dev.loxiharness.harness.model.Topology;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.RoleRefBuilder;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.api.model.rbac.SubjectBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The controller in the cluster as the seed installs loxi-ccm (loxilbdocs {@code ccm.md}): a
 * service account, its RBAC, the ConfigMap {@code kube-system/loxilb-config} the controller reads
 * its settings from, and one replica in {@code kube-system} on the host network.
 *
 * <p>Where it departs from upstream's manifest, on purpose: a Deployment rather than a DaemonSet
 * (one controller, as the topology names one); RBAC that lists what this controller does (its
 * informers on Services, Nodes, EndpointSlices and kube-system ConfigMaps; a get and a status patch
 * of a Service; Events) instead of binding {@code cluster-admin}, with ConfigMaps granted in
 * {@code kube-system} only; {@code imagePullPolicy: Never} with the content-hash tag, because the
 * image is built here and loaded into the nodes, and a pull would hang with no registry.
 *
 * <p>Host network because the controller must reach loxilb's REST API on the nodes' network (the
 * seed's {@code http://192.168.57.4:11111}) whatever the pod network does; the tolerations let it
 * run on the control plane and before a cloud provider has initialised the nodes, as a cloud
 * controller manager must. The pod is pinned to the topology's controller node by
 * {@code kubernetes.io/hostname}: its Kubernetes node name (kind's nodes are named after their containers).
 */
public final class LoxiCcmManifest {
    static final String NAMESPACE = "kube-system";
    public static final String NAME = "loxi-cloud-controller-manager";
    static final String CONFIG_MAP = "loxilb-config";
    private static final Map<String, String> LABELS = Map.of("k8s-app", NAME, "app.kubernetes.io/managed-by", "loxiharness");
    private static final KubernetesSerialization YAML = new KubernetesSerialization();

    private LoxiCcmManifest() {
    }

    /**
     * The manifest for {@code controller} (mode {@code ccm}) running {@code image} on the Kubernetes
     * node {@code nodeName} (anywhere when null), as multi-document YAML for {@code kubectl apply}.
     */
    public static String render(Topology.Controller controller, String image, String nodeName) {
        if (!"ccm".equals(controller.mode())) {
            throw new IllegalArgumentException("the in-cluster manifest is loxi-ccm's (mode ccm); this controller's mode is "
                    + controller.mode());
        }
        return objects(controller, image, nodeName).stream().map(LoxiCcmManifest::yaml).collect(Collectors.joining("---\n"));
    }

    private static List<HasMetadata> objects(Topology.Controller controller, String image, String nodeName) {
        return List.of(
                new ServiceAccountBuilder().withMetadata(meta(NAME, NAMESPACE)).build(),
                new ClusterRoleBuilder().withMetadata(meta(NAME, null)).withRules(clusterRules()).build(),
                new ClusterRoleBindingBuilder().withMetadata(meta(NAME, null))
                        .withRoleRef(roleRef("ClusterRole")).withSubjects(serviceAccount())
                        .build(),
                new RoleBuilder().withMetadata(meta(NAME, NAMESPACE))
                        .withRules(rule("", List.of("configmaps"), "list", "watch")).build(),
                new RoleBindingBuilder().withMetadata(meta(NAME, NAMESPACE))
                        .withRoleRef(roleRef("Role")).withSubjects(serviceAccount())
                        .build(),
                new ConfigMapBuilder().withMetadata(meta(CONFIG_MAP, NAMESPACE)).withData(controller.loxilbConfig()).build(),
                deployment(controller, image, nodeName));
    }

    /** What the controller does cluster-wide, verb by verb (see {@code controller}'s ServiceController, ServiceReconciler, EventRecorder). */
    private static List<PolicyRule> clusterRules() {
        return List.of(
                rule("", List.of("services"), "get", "list", "watch"),
                rule("", List.of("services/status"), "patch"),
                rule("", List.of("nodes"), "list", "watch"),
                rule("discovery.k8s.io", List.of("endpointslices"), "list", "watch"),
                rule("", List.of("events"), "create"));
    }

    private static HasMetadata deployment(Topology.Controller controller, String image, String nodeName) {
        Map<String, String> nodeSelector = nodeName == null ? Map.of() : Map.of("kubernetes.io/hostname", nodeName);
        return new DeploymentBuilder().withMetadata(meta(NAME, NAMESPACE))
                .withNewSpec()
                    .withReplicas(1)
                    .withNewSelector().withMatchLabels(Map.of("k8s-app", NAME)).endSelector()
                    .withNewTemplate()
                        .withNewMetadata().withLabels(sorted(LABELS)).endMetadata()
                        .withNewSpec()
                            .withServiceAccountName(NAME)
                            .withHostNetwork(true)
                            .withNodeSelector(nodeSelector)
                            .withTolerations(tolerations())
                            .addNewContainer()
                                .withName("loxi-ccm")
                                .withImage(image)
                                .withImagePullPolicy("Never")
                                .withArgs("--mode=ccm", "--configMap=" + NAMESPACE + "/" + CONFIG_MAP)
                            .endContainer()
                        .endSpec()
                    .endTemplate()
                .endSpec()
                .build();
    }

    private static List<Toleration> tolerations() {
        return List.of(
                new TolerationBuilder().withKey("node-role.kubernetes.io/control-plane").withOperator("Exists").withEffect("NoSchedule").build(),
                new TolerationBuilder().withKey("node.cloudprovider.kubernetes.io/uninitialized").withOperator("Equal").withValue("true")
                        .withEffect("NoSchedule").build());
    }

    private static RoleRef roleRef(String kind) {
        return new RoleRefBuilder().withApiGroup("rbac.authorization.k8s.io").withKind(kind).withName(NAME).build();
    }

    private static Subject serviceAccount() {
        return new SubjectBuilder().withKind("ServiceAccount").withName(NAME).withNamespace(NAMESPACE).build();
    }

    private static PolicyRule rule(String apiGroup, List<String> resources, String... verbs) {
        return new PolicyRuleBuilder().withApiGroups(apiGroup).withResources(resources).withVerbs(verbs).build();
    }

    private static ObjectMeta meta(String name, String namespace) {
        return new ObjectMetaBuilder().withName(name).withNamespace(namespace).withLabels(sorted(LABELS)).build();
    }

    /** Labels in a fixed order, so the rendering (and its golden file) is the same on every run. */
    private static Map<String, String> sorted(Map<String, String> m) {
        return new TreeMap<>(m);
    }

    private static String yaml(HasMetadata o) {
        String y = YAML.asYaml(o);
        return y.startsWith("---\n") ? y.substring(4) : y;
    }
}
