package dev.loxiharness.harness.kind;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loxiharness.harness.model.Topology;
import dev.loxiharness.harness.model.TopologyLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The rendered {@code /kind/kubeadm.conf} files: equal to reviewed golden files, valid against the
 * schema of kubeadm's types we use (kubeadm-schema.json, written from kubeadm's v1beta3/v1beta4 Go
 * types), and the facts the topology must put there.
 */
class KubeadmConfigTest {
    private static final Path GOLDEN = Path.of("src/test/resources/kind");
    private static final Topology SEED_KIND = TopologyLoader.load(Path.of("../topologies/seed-kind.yaml"));

    static String golden(String name, String actual) throws IOException {
        Path file = GOLDEN.resolve(name);
        if (Boolean.getBoolean("golden.update")) {
            Files.writeString(file, actual);
        }
        return Files.readString(file);
    }

    @Test
    void controlPlaneConfigMatchesTheGoldenFile() throws IOException {
        String init = KubeadmConfig.init(ClusterLayout.of(SEED_KIND));
        assertThat(init).isEqualTo(golden("kubeadm-init-v1beta3.yaml", init));
    }

    @Test
    void workerConfigMatchesTheGoldenFile() throws IOException {
        ClusterLayout layout = ClusterLayout.of(SEED_KIND);
        String join = KubeadmConfig.join(layout, layout.workers().get(0));
        assertThat(join).isEqualTo(golden("kubeadm-join-v1beta3.yaml", join));
    }

    @Test
    void fromKubernetes136TheConfigIsV1beta4WithArgumentsAsNameValueLists() throws IOException {
        Topology t = TopologyLoader.load(Path.of("../topologies/seed-kind.yaml"), Map.of("kubernetes.kind.nodeImage", "kindest/node:v1.36.0"));
        String init = KubeadmConfig.init(ClusterLayout.of(t));
        assertThat(init).isEqualTo(golden("kubeadm-init-v1beta4.yaml", init));
        JsonNode initDoc = Yaml.readAll(init).get(1);
        assertThat(initDoc.path("apiVersion").asText()).isEqualTo("kubeadm.k8s.io/v1beta4");
        assertThat(initDoc.path("nodeRegistration").path("kubeletExtraArgs").get(0).path("name").asText()).isEqualTo("node-ip");
    }

    @Test
    void everyDocumentIsValidAgainstKubeadmsTypes() {
        ClusterLayout layout = ClusterLayout.of(SEED_KIND);
        Topology v136 = TopologyLoader.load(Path.of("../topologies/seed-kind.yaml"), Map.of("kubernetes.kind.nodeImage", "kindest/node:v1.36.0"));
        for (String yaml : List.of(KubeadmConfig.init(layout), KubeadmConfig.join(layout, layout.workers().get(0)),
                KubeadmConfig.init(ClusterLayout.of(v136)))) {
            for (JsonNode doc : Yaml.readAll(yaml)) {
                assertThat(Schemas.problems("kubeadm-schema.json", doc)).as(doc.path("kind").asText()).isEmpty();
            }
        }
    }

    @Test
    void theTopologyDecidesAddressesCidrsAndVersion() {
        ClusterLayout layout = ClusterLayout.of(SEED_KIND);
        List<JsonNode> init = Yaml.readAll(KubeadmConfig.init(layout));
        JsonNode cluster = init.get(0);
        assertThat(cluster.path("kubernetesVersion").asText()).isEqualTo("v1.32.2");
        assertThat(cluster.path("networking").path("podSubnet").asText()).isEqualTo("10.233.64.0/18");
        assertThat(cluster.path("networking").path("serviceSubnet").asText()).isEqualTo("10.233.0.0/18");
        assertThat(init.get(1).path("localAPIEndpoint").path("advertiseAddress").asText()).isEqualTo("192.168.57.101");
        assertThat(init.get(1).path("nodeRegistration").path("kubeletExtraArgs").path("node-ip").asText()).isEqualTo("192.168.57.101");
        JsonNode join = Yaml.readAll(KubeadmConfig.join(layout, layout.workers().get(0))).get(0);
        assertThat(join.path("discovery").path("bootstrapToken").path("apiServerEndpoint").asText()).isEqualTo("192.168.57.101:6443");
        assertThat(join.path("nodeRegistration").path("kubeletExtraArgs").path("node-ip").asText()).isEqualTo("192.168.57.102");
    }
}
