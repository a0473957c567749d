package dev.loxiharness.harness.kind;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.loxiharness.harness.model.Topology;
import dev.loxiharness.harness.model.TopologyLoader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The in-cluster loxi-ccm of {@code seed-docker.yaml}: the rendering equals the golden file, and,
 * read back as YAML by a parser of its own, says what the kind backend relies on.
 */
class LoxiCcmManifestTest {
    static final Path HOME = Path.of(System.getProperty("loxiharness.home", ".."));
    static final String IMAGE = "loxiharness/loxi-ccm:0123456789ab";
    static Topology.Controller controller;
    static String rendered;
    static List<JsonNode> docs;

    @BeforeAll
    static void render() throws IOException {
        controller = TopologyLoader.load(HOME.resolve("topologies/seed-docker.yaml")).loadBalancer().controller();
        rendered = LoxiCcmManifest.render(controller, IMAGE, "node1");
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        docs = new ArrayList<>();
        yaml.readerFor(JsonNode.class).readValues(rendered).forEachRemaining(d -> docs.add((JsonNode) d));
    }

    @Test
    void theRenderingIsTheGoldenFile() throws IOException {
        try (InputStream in = LoxiCcmManifestTest.class.getResourceAsStream("/kind/loxi-ccm-seed-docker.yaml")) {
            assertThat(rendered).isEqualTo(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void theConfigMapCarriesTheTopologysSettings() {
        JsonNode data = doc("ConfigMap").path("data");
        assertThat(doc("ConfigMap").at("/metadata/namespace").asText()).isEqualTo("kube-system");
        assertThat(doc("ConfigMap").at("/metadata/name").asText()).isEqualTo("loxilb-config");
        assertThat(data.path("apiServerURL").asText()).isEqualTo(String.join(",", controller.apiServerUrl()))
                .isEqualTo("http://192.168.57.4:11111");
        assertThat(data.path("externalCIDR").asText()).isEqualTo("123.123.123.15/24");
        assertThat(data.path("setBGP").asText()).isEqualTo("true");
    }

    @Test
    void theDeploymentRunsOurImageOnTheHostNetworkAndNeverPulls() {
        JsonNode deployment = doc("Deployment");
        JsonNode pod = deployment.at("/spec/template/spec");
        JsonNode container = pod.path("containers").get(0);
        assertThat(deployment.at("/metadata/namespace").asText()).isEqualTo("kube-system");
        assertThat(container.path("image").asText()).isEqualTo(IMAGE);
        assertThat(container.path("imagePullPolicy").asText()).isEqualTo("Never");
        assertThat(texts(container.path("args"))).contains("--mode=ccm", "--configMap=kube-system/loxilb-config");
        assertThat(pod.path("hostNetwork").asBoolean()).isTrue();
        assertThat(pod.path("serviceAccountName").asText()).isEqualTo(doc("ServiceAccount").at("/metadata/name").asText());
        assertThat(StreamSupport.stream(pod.path("tolerations").spliterator(), false).map(t -> t.path("key").asText()))
                .contains("node-role.kubernetes.io/control-plane", "node.cloudprovider.kubernetes.io/uninitialized");
        assertThat(deployment.at("/spec/selector/matchLabels/k8s-app").asText())
                .isEqualTo(deployment.at("/spec/template/metadata/labels/k8s-app").asText());
    }

    @Test
    void rbacCoversWhatTheControllerWatchesAndWrites() {
        JsonNode cluster = doc("ClusterRole").path("rules");
        assertThat(allows(cluster, "", "services", "get", "list", "watch")).isTrue();
        assertThat(allows(cluster, "", "services/status", "patch")).isTrue();
        assertThat(allows(cluster, "", "nodes", "list", "watch")).isTrue();
        assertThat(allows(cluster, "discovery.k8s.io", "endpointslices", "list", "watch")).isTrue();
        assertThat(allows(cluster, "", "events", "create")).isTrue();
        assertThat(allows(doc("Role").path("rules"), "", "configmaps", "list", "watch")).isTrue();
        assertThat(doc("Role").at("/metadata/namespace").asText()).isEqualTo("kube-system");
        for (String binding : List.of("ClusterRoleBinding", "RoleBinding")) {
            assertThat(doc(binding).at("/subjects/0/name").asText()).isEqualTo("loxi-cloud-controller-manager");
            assertThat(doc(binding).at("/subjects/0/namespace").asText()).isEqualTo("kube-system");
        }
    }

    @Test
    void onlyTheCcmModeHasThisManifest() {
        Topology.Controller kubeLoxilb = new Topology.Controller("kube-loxilb", "node1", List.of("http://192.168.57.4:11111"),
                "123.123.123.15/24", true, 0);
        assertThatThrownBy(() -> LoxiCcmManifest.render(kubeLoxilb, IMAGE, null)).hasMessageContaining("mode ccm");
    }

    private static JsonNode doc(String kind) {
        return docs.stream().filter(d -> kind.equals(d.path("kind").asText())).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " in:\n" + rendered));
    }

    private static boolean allows(JsonNode rules, String group, String resource, String... verbs) {
        for (JsonNode r : rules) {
            if (texts(r.path("apiGroups")).contains(group) && texts(r.path("resources")).contains(resource)
                    && texts(r.path("verbs")).containsAll(List.of(verbs))) {
                return true;
            }
        }
        return false;
    }

    private static List<String> texts(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }
}
