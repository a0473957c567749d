package dev.loxiharness.harness.kind;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loxiharness.harness.model.Topology;
import dev.loxiharness.harness.model.TopologyLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CalicoConfigTest {
    private static final Topology SEED_KIND = TopologyLoader.load(Path.of("../topologies/seed-kind.yaml"));
    private static final ClusterLayout LAYOUT = ClusterLayout.of(SEED_KIND);

    private static Map<String, String> env(JsonNode container) {
        Map<String, String> env = new LinkedHashMap<>();
        container.path("env").forEach(e -> env.put(e.path("name").asText(), e.has("valueFrom") ? "<valueFrom>" : e.path("value").asText()));
        return env;
    }

    @Test
    void calicoNodeRunsBgpWithoutEncapsulationOnThePodCidrOfTheFileAndFindsItsAddressOnTheNodesNetwork() throws IOException {
        String patched = CalicoConfig.patchManifest(Files.readString(Path.of("src/test/resources/kind/calico-manifest-excerpt.yaml")),
                CalicoConfig.nodeEnv(SEED_KIND, LAYOUT));
        assertThat(patched).isEqualTo(KubeadmConfigTest.golden("calico-manifest-patched.yaml", patched));
        List<JsonNode> docs = Yaml.readAll(patched);
        JsonNode node = docs.get(1).path("spec").path("template").path("spec").path("containers").get(0);
        assertThat(env(node)).containsEntry("CALICO_IPV4POOL_CIDR", "10.233.64.0/18")
                .containsEntry("CALICO_IPV4POOL_BLOCK_SIZE", "26")
                .containsEntry("CALICO_IPV4POOL_IPIP", "Never")
                .containsEntry("CALICO_IPV4POOL_VXLAN", "Never")
                .containsEntry("CALICO_NETWORKING_BACKEND", "bird")
                .containsEntry("IP_AUTODETECTION_METHOD", "cidr=192.168.57.0/24")
                .containsEntry("DATASTORE_TYPE", "kubernetes");
        assertThat(node.path("env").findValues("name").stream().map(JsonNode::asText).filter("CALICO_IPV4POOL_IPIP"::equals)).hasSize(1);
        for (JsonNode doc : docs) {
            doc.findValues("imagePullPolicy").forEach(p -> assertThat(p.asText()).as("nodes never pull").isEqualTo("Never"));
        }
        assertThat(patched).doesNotContain("Always").contains("value: \"26\"");
    }

    @Test
    void aManifestWithoutCalicoNodeIsRefusedWithWhatWasExpected() {
        assertThatThrownBy(() -> CalicoConfig.patchManifest("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n", Map.of()))
                .hasMessageContaining("no DaemonSet calico-node");
    }

    @Test
    void theSeedsBgpPeerBecomesTheResourceTheManifestInstallServesAndPodsNeverPull() throws IOException {
        String peer = CalicoConfig.forCluster(Files.readString(Path.of("../topologies/calico-bgp-config.yaml")));
        JsonNode doc = Yaml.readAll(peer).get(0);
        assertThat(doc.path("apiVersion").asText()).isEqualTo("crd.projectcalico.org/v1");
        assertThat(doc.path("spec").path("peerIP").asText()).isEqualTo("192.168.57.4");
        assertThat(doc.path("spec").path("asNumber").asLong()).isEqualTo(65002);
        assertThat(Schemas.problems("calico-schema.json", doc)).isEmpty();
        String nginx = CalicoConfig.forCluster(Files.readString(Path.of("../topologies/test-nginx-svc.yaml")));
        assertThat(Yaml.readAll(nginx).get(0).path("spec").path("containers").get(0).path("imagePullPolicy").asText()).isEqualTo("Never");
        assertThat(CalicoConfig.imagesOf(nginx)).containsExactly("nginx:latest");
    }

    @Test
    void bgpConfigurationAndServicesEndpointAreValidAgainstCalicosSchemas() {
        JsonNode bgp = Yaml.readAll(CalicoConfig.bgpConfiguration(SEED_KIND.kubernetes().calico())).get(0);
        assertThat(bgp.path("spec").path("asNumber").asLong()).isEqualTo(64512);
        assertThat(bgp.path("spec").path("nodeToNodeMeshEnabled").asBoolean()).isTrue();
        assertThat(Schemas.problems("calico-schema.json", bgp)).isEmpty();
        JsonNode endpoint = Yaml.readAll(CalicoConfig.servicesEndpoint(LAYOUT)).get(0);
        assertThat(endpoint.path("data").path("KUBERNETES_SERVICE_HOST").asText()).isEqualTo("192.168.57.101");
        assertThat(Schemas.problems("calico-schema.json", endpoint)).isEmpty();
        JsonNode wrong = Yaml.readAll("apiVersion: projectcalico.org/v3\nkind: BGPPeer\nmetadata: {name: p}\nspec: {peerIp: 1.2.3.4}\n").get(0);
        assertThat(Schemas.problems("calico-schema.json", wrong)).as("the schema catches a misspelt field and the wrong API").hasSize(2);
    }

    @Test
    void calicosImagesMovedToQuayIoWithV331() {
        assertThat(CalicoConfig.images(new Topology.CalicoCluster(null, null, "v3.30.0", null))).first().isEqualTo("docker.io/calico/node:v3.30.0");
        assertThat(CalicoConfig.images(new Topology.CalicoCluster(null, null, "v3.31.7", null))).first().isEqualTo("quay.io/calico/node:v3.31.7");
    }

    @Test
    void theClusterImportsCalicosImagesOfTheReleaseTheManifestsImagesAndLoxiCcm() {
        assertThat(KindTopology.clusterImages(SEED_KIND)).containsExactly("docker.io/calico/node:v3.29.3", "docker.io/calico/cni:v3.29.3",
                "docker.io/calico/kube-controllers:v3.29.3", "nginx:latest", "loxiharness/loxi-ccm:latest");
        assertThat(KindTopology.requiredImages(SEED_KIND)).startsWith("kindest/node:v1.32.2").contains("loxiharness/loxilb");
    }
}
