package dev.loxiharness.harness.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.command.BuildImageResultCallback;
import dev.loxiharness.console.Progress;
import dev.loxiharness.exec.Commands;
import dev.loxiharness.harness.backend.RunningTopology;
import dev.loxiharness.harness.docker.Containers;
import dev.loxiharness.harness.docker.DockerEngine;
import dev.loxiharness.harness.docker.Images;
import dev.loxiharness.harness.docker.OurImage;
import dev.loxiharness.harness.kind.KindBringUp;
import dev.loxiharness.harness.model.Topology;
import dev.loxiharness.harness.model.TopologyLoader;
import dev.loxiharness.harness.state.StateDir;
import dev.loxiharness.netns.Lab;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The kind backend's bring-up on the real Docker engine and the real wires, with a stand-in node
 * image (this machine cannot have kindest/node): node containers made with kind's settings and
 * wired into k8snet, kubeadm.conf and the manifests copied in, images saved and imported, kubeadm,
 * kubectl and ctr called in the right nodes (the stand-ins write their calls down), and nothing left
 * after down or after a failed step.
 */
class KindBackendIT {
    static final Path HOME = NetnsBackendIT.HOME;
    static final String NODE_IMAGE = "loxiharness-test/fake-kind-node:v1.32.2";
    static final String CALICO = "v0.0.0";
    static final List<String> STAND_INS = List.of("docker.io/calico/node:" + CALICO, "docker.io/calico/cni:" + CALICO,
            "docker.io/calico/kube-controllers:" + CALICO);
    static Path dir;

    @BeforeAll
    static void images() throws IOException {
        Assumptions.assumeTrue(Lab.usable(), "needs root with ip, nft, nginx, curl, bird2 and gobgpd (bin/install-packages)");
        Assumptions.assumeTrue(DockerEngine.whyNot().isEmpty(), () -> "needs a Docker engine: " + DockerEngine.whyNot().orElse(""));
        Images.ensure(OurImage.LOXILB, HOME, Progress.SILENT);
        build("src/test/docker/fake-kind-node", Set.of(NODE_IMAGE));
        build("src/test/docker/fake-image", Set.copyOf(STAND_INS));
        dir = Files.createTempDirectory("itkind");
        for (String f : List.of("seed-kind.yaml", "calico-bgp-config.yaml")) {
            Files.copy(HOME.resolve("topologies").resolve(f), dir.resolve(f));
        }
        Files.writeString(dir.resolve("calico-" + CALICO + ".yaml"),
                Files.readString(Path.of("../harness/src/test/resources/kind/calico-manifest-excerpt.yaml")).replace("v3.29.3", CALICO));
    }

    private static void build(String context, Set<String> tags) {
        DockerEngine.client().buildImageCmd(Path.of(context).toFile()).withBuildArg("BASE", Images.baseTag()).withNetworkMode("none")
                .withPull(false).withRemove(true).withForcerm(true).withTags(tags).exec(new BuildImageResultCallback()).awaitImageId();
    }

    @AfterAll
    static void removeImages() throws IOException {
        if (dir != null) {
            for (String image : List.of(NODE_IMAGE, STAND_INS.get(0), STAND_INS.get(1), STAND_INS.get(2))) {
                Commands.run(List.of("docker", "rmi", "-f", image));
            }
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(dir);
        }
    }

    static Topology topology(String name, Map<String, String> more) {
        Map<String, String> set = new LinkedHashMap<>(Map.of("kubernetes.kind.nodeImage", NODE_IMAGE, "kubernetes.kind.privileged", "false",
                "kubernetes.calico.version", CALICO, "kubernetes.manifests", "[calico-bgp-config.yaml]",
                "nodes.lb.container.name", name + "-loxilb"));
        set.putAll(more);
        return TopologyLoader.load(dir.resolve("seed-kind.yaml"), set).withName(name);
    }

    static String calls(String container) {
        return Containers.exec(container, List.of("cat", "/kind/calls.log"), null, java.time.Duration.ofSeconds(10)).stdout();
    }

    static void assertNothingLeft(String name) {
        assertThat(Containers.labelled(name)).isEmpty();
        assertThat(Commands.run(List.of("ip", "netns", "list")).stdout()).doesNotContain("lxh-" + name);
        assertThat(StateDir.all()).doesNotContain(name);
    }

    @Test
    void upMakesWiredKindNodesRunsKubeadmAndKubectlInThemAndDownLeavesNothing() {
        KindBackend kind = new KindBackend();
        String name = Topology.uniqueName("itkind");
        Topology t = topology(name, Map.of());
        assertThat(kind.whyNot(t, HOME)).isEmpty();
        RunningTopology topo = kind.up(t, HOME, Progress.SILENT);
        try {
            String cp = calls(name + "-node1");
            assertThat(cp).contains("ctr --namespace=k8s.io images import --all-platforms --digests /kind/images/kind-images.tar")
                    .contains("kubeadm init --config=/kind/kubeadm.conf --skip-token-print")
                    .contains("kubectl --kubeconfig=/etc/kubernetes/admin.conf create -f /kind/manifests/calico.yaml")
                    .contains("kubectl --kubeconfig=/etc/kubernetes/admin.conf apply -f /kind/manifests/loxi-ccm.yaml");
            assertThat(cp.indexOf("kubeadm init")).isLessThan(cp.indexOf("create -f /kind/manifests/calico.yaml"));
            assertThat(calls(name + "-node2")).contains("kubeadm join --config /kind/kubeadm.conf")
                    .contains("ctr --namespace=k8s.io images import");
            assertThat(topo.node("node1").exec("cat", "/kind/kubeadm.conf").stdout()).contains("advertiseAddress: 192.168.57.101");
            assertThat(topo.node("node2").exec("cat", "/kind/manifests/bgp-configuration.yaml").ok()).isFalse();
            assertThat(topo.node("node1").exec("cat", "/kind/manifests/manifest-1.yaml").stdout())
                    .contains("apiVersion: crd.projectcalico.org/v1").contains("peerIP: 192.168.57.4");
            assertThat(topo.node("node1").exec("cat", "/kind/manifests/calico.yaml").stdout())
                    .contains("IP_AUTODETECTION_METHOD").contains("kubernetes-services-endpoint");
            assertThat(topo.node("node2").exec("test", "-x", "/usr/local/bin/birdc").ok()).as("birdc wrapper in node2").isTrue();
            assertThat(topo.node("node1").exec("birdc", "show", "protocols").stderr()).as("the stand-in has no crictl: the wrapper says what it tried")
                    .contains("crictl");
            assertThat(topo.node("node1").exec("ls", "/kind/images").stdout()).as("the saved images are gone once imported").isBlank();
            var api = Commands.run(List.of("ip", "netns", "exec", "lxh-" + name + "-node1", "curl", "-s", "-m", "3", "-o", "/dev/null", "-w",
                    "%{http_code}", "http://192.168.57.4:11111/netlox/v1/config/loadbalancer/all"));
            assertThat(api.stdout()).as("node1 reaches loxilb's API (what loxi-ccm does) on k8snet: %s\n%s\n%s\n%s", api,
                    Commands.run(List.of("ip", "-n", "lxh-" + name + "-node1", "-br", "addr")).stdout(),
                    Commands.run(List.of("ip", "-n", "lxh-" + name + "-lb", "-br", "addr")).stdout(),
                    Commands.run(List.of("ip", "-n", "lxh-" + name + "-lan", "-br", "link")).stdout()).isEqualTo("200");
            assertThat(topo.kubectl().run("get", "nodes").ok()).isTrue();
            assertThat(calls(name + "-node1")).contains("kubectl --kubeconfig=" + KindBringUp.ADMIN_KUBECONFIG + " get nodes");
            assertThat(topo.kubernetesSummary()).hasValueSatisfying(s -> assertThat(s).contains("kind v1.32.2"));
        } finally {
            topo.down();
        }
        assertNothingLeft(name);
    }

    @Test
    void aFailedJoinRemovesEverythingUpMadeAndNamesTheStep() {
        String name = Topology.uniqueName("itkindf");
        Topology t = topology(name, Map.of("nodes.node2.container", "{env: {FAKE_FAIL: kubeadm join}}"));
        assertThatThrownBy(() -> new KindBackend().up(t, HOME, Progress.SILENT))
                .hasMessageContaining("kubeadm join node2 failed").hasMessageContaining("fails as asked");
        assertNothingLeft(name);
    }
}
