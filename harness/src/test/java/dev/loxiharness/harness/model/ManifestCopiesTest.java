package dev.loxiharness.harness.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kubernetes.manifests} entries applied in copies: the file's documents N times, {@code ${i}} = 1..N. */
class ManifestCopiesTest {
    static final Path SCALE = TopologyLoaderTest.HOME.resolve("topologies/scale.yaml");

    static List<Manifests.KubeObject> ofKind(Topology t, String kind) {
        return Manifests.objects(t).stream().filter(o -> o.kind().equals(kind)).toList();
    }

    @Test
    void scaleMakesAThousandServicesAndFourPodsFromTwoSmallFiles() {
        Topology t = TopologyLoader.load(SCALE);
        assertThat(t.kubernetes().manifests()).containsExactly(Topology.Manifest.of("calico-bgp-config.yaml"),
                new Topology.Manifest("scale-web-pods.yaml", 4), new Topology.Manifest("scale-services.yaml", 1000));
        List<Manifests.KubeObject> services = ofKind(t, "Service");
        assertThat(services).hasSize(1000);
        assertThat(services.get(0).name()).isEqualTo("scale-1");
        assertThat(services.get(999).name()).isEqualTo("scale-1000");
        assertThat(services).extracting(Manifests.KubeObject::name).doesNotHaveDuplicates();
        assertThat(services).allSatisfy(s -> {
            assertThat(s.namespace()).isEqualTo("default");
            assertThat(s.tree().path("spec").path("type").asText()).isEqualTo("LoadBalancer");
            assertThat(s.tree().path("spec").path("selector").path("app.kubernetes.io/name").asText()).isEqualTo("scale-web");
        });
        assertThat(ofKind(t, "Pod")).extracting(Manifests.KubeObject::name)
                .containsExactly("scale-web-1", "scale-web-2", "scale-web-3", "scale-web-4");
        assertThat(ofKind(t, "BGPPeer")).singleElement().extracting(Manifests.KubeObject::name).isEqualTo("my-global-peers2");
    }

    @Test
    void copiesAreChangedWithSetAsAnyListElement() {
        Topology t = TopologyLoader.load(SCALE, Map.of("kubernetes.manifests[2].copies", "20", "checks[3].count", "20"));
        assertThat(ofKind(t, "Service")).extracting(Manifests.KubeObject::name).hasSize(20).endsWith("scale-20");
        assertThat(t.checks().get(3).count()).isEqualTo(20);
        assertThatThrownBy(() -> TopologyLoader.load(SCALE, Map.of("kubernetes.manifests[7].copies", "2")))
                .isInstanceOf(TopologyException.class).hasMessageContaining("kubernetes.manifests[7] is not an element of a list (it has 3)");
        assertThatThrownBy(() -> TopologyLoader.load(SCALE, Map.of("kubernetes.manifests[0].copies", "2")))
                .isInstanceOf(TopologyException.class).hasMessageContaining("kubernetes.manifests[0] is not a mapping");
        assertThatThrownBy(() -> TopologyLoader.load(SCALE, Map.of("kubernetes.manifests[2].copies", "0")))
                .isInstanceOf(TopologyException.class).hasMessageContaining("kubernetes.manifests[2]");
    }

    @Test
    void everyDocumentIsCopiedWithItsIndexAndAPlainFileIsAppliedAsItIs(@TempDir Path dir) throws Exception {
        String two = "kind: Pod\nmetadata:\n  name: p-${i}\n---\nkind: Service\nmetadata:\n  name: s-${i}\n";
        assertThat(Manifests.expand(two, 2)).isEqualTo("---\nkind: Pod\nmetadata:\n  name: p-1\n---\nkind: Service\nmetadata:\n  name: s-1\n"
                + "---\nkind: Pod\nmetadata:\n  name: p-2\n---\nkind: Service\nmetadata:\n  name: s-2\n");
        Files.writeString(dir.resolve("two.yaml"), two);
        Topology t = TopologyLoader.load(SCALE).withSource(dir.resolve("t.yaml"));
        assertThat(Manifests.read(t, new Topology.Manifest("two.yaml", 3))).extracting(Manifests.KubeObject::name)
                .containsExactly("p-1", "s-1", "p-2", "s-2", "p-3", "s-3");
        assertThat(Manifests.text(t, Topology.Manifest.of("two.yaml"))).isEqualTo(two);
    }

    @Test
    void copiesOfAFileWithoutTheIndexAreRefusedWithTheirLine() throws Exception {
        String seed = TopologyLoaderTest.seedText().replace("manifests: [ calico-bgp-config.yaml, test-nginx-svc.yaml ]",
                "manifests: [ calico-bgp-config.yaml, { file: test-nginx-svc.yaml, copies: 3 }, { file: nope.yaml, copies: 2 } ]");
        assertThatThrownBy(() -> TopologyLoaderTest.parse(seed)).isInstanceOfSatisfying(TopologyException.class, e -> {
            assertThat(e.problems()).hasSize(2);
            assertThat(e.problems().get(0)).isEqualTo("test.yaml:63: kubernetes.manifests[1].copies: 3 copies of test-nginx-svc.yaml,"
                    + " which has no ${i}: every copy would be the same objects (put ${i} in their names)");
            assertThat(e.problems().get(1)).startsWith("test.yaml:63: kubernetes.manifests[2]: no such file ").endsWith("nope.yaml");
        });
        String noCopies = TopologyLoaderTest.seedText().replace("test-nginx-svc.yaml ]", "{ file: test-nginx-svc.yaml } ]");
        assertThatThrownBy(() -> TopologyLoaderTest.parse(noCopies)).isInstanceOf(TopologyException.class)
                .hasMessageContaining("kubernetes.manifests[1]");
    }
}
