package dev.loxiharness.harness.kind;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loxiharness.console.Progress;
import dev.loxiharness.harness.model.Topology;
import dev.loxiharness.harness.model.TopologyLoader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The kind bring-up sequence against a recording fake of the container runtime. */
class KindBringUpTest {
    private static final Topology SEED_KIND = TopologyLoader.load(Path.of("../topologies/seed-kind.yaml"));
    private static final KindBringUp.Workload WORKLOAD = new KindBringUp.Workload("calico", "bgp", List.of("peer", "nginx"), "ccm",
            List.of("docker.io/calico/node:v3.29.3", "nginx:latest"));

    private static int index(List<String> calls, String prefix) {
        for (int i = 0; i < calls.size(); i++) {
            if (calls.get(i).startsWith(prefix)) {
                return i;
            }
        }
        throw new AssertionError("no call starting with '" + prefix + "' in:\n" + String.join("\n", calls));
    }

    @Test
    void bringsTheClusterUpInKindsOrder() {
        RecordingRuntime rt = new RecordingRuntime(line -> false);
        new KindBringUp(ClusterLayout.of(SEED_KIND), rt, Progress.SILENT).run(WORKLOAD);
        List<String> c = rt.calls;
        assertThat(c.subList(0, 4)).containsExactly("start node1", "start node2", "booted node1", "booted node2");
        assertThat(index(c, "save docker.io/calico/node:v3.29.3 nginx:latest")).isLessThan(index(c, "import node1"));
        assertThat(index(c, "copy node1 /kind/kubeadm.conf")).isLessThan(index(c, "exec node1 kubeadm init"));
        assertThat(index(c, "import node2")).isLessThan(index(c, "exec node1 kubeadm init"));
        assertThat(index(c, "exec node1 kubeadm init")).isLessThan(index(c, "exec node2 kubeadm join"));
        assertThat(index(c, "exec node2 kubeadm join")).isLessThan(index(c, "exec node1 kubectl --kubeconfig=/etc/kubernetes/admin.conf create -f /kind/manifests/calico.yaml"));
        assertThat(index(c, "exec node1 kubectl --kubeconfig=/etc/kubernetes/admin.conf -n kube-system rollout status daemonset/calico-node"))
                .isLessThan(index(c, "exec node1 kubectl --kubeconfig=/etc/kubernetes/admin.conf apply -f /kind/manifests/bgp-configuration.yaml"));
        assertThat(index(c, "exec node1 kubectl --kubeconfig=/etc/kubernetes/admin.conf apply -f /kind/manifests/manifest-2.yaml"))
                .isLessThan(index(c, "exec node1 kubectl --kubeconfig=/etc/kubernetes/admin.conf apply -f /kind/manifests/loxi-ccm.yaml"));
        assertThat(c.get(c.size() - 1)).contains("rollout status deployment/loxi-cloud-controller-manager");
        assertThat(index(c, "copy node2 /usr/local/bin/birdc")).as("birdc reaches Calico's BIRD once calico-node runs")
                .isGreaterThan(index(c, "exec node1 kubectl --kubeconfig=/etc/kubernetes/admin.conf -n kube-system rollout status daemonset/calico-node"));
        assertThat(c).contains("exec node2 chmod 755 /usr/local/bin/birdc");
        assertThat(c).noneMatch(l -> l.contains("taint")).noneMatch(l -> l.startsWith("remove"));
        assertThat(rt.running).containsExactly("seed-kind-node1", "seed-kind-node2");
        assertThat(c).allMatch(l -> !l.startsWith("exec") || l.startsWith("exec node1 kubectl") || l.contains("kubeadm") || l.contains("birdc"),
                "kubectl runs in the control plane, never on the host");
    }

    @Test
    void aSingleNodeClusterLosesTheControlPlaneTaintAndTheExcludeLabelAsKindDoes() {
        Topology one = TopologyLoader.load(Path.of("../topologies/seed-kind.yaml"), Map.of("nodes.node2.roles", "[client]"));
        RecordingRuntime rt = new RecordingRuntime(line -> false);
        new KindBringUp(ClusterLayout.of(one), rt, Progress.SILENT).run(WORKLOAD);
        assertThat(index(rt.calls, "exec node1 kubectl --kubeconfig=/etc/kubernetes/admin.conf taint nodes --all node-role.kubernetes.io/control-plane-"))
                .isLessThan(index(rt.calls, "exec node1 kubectl --kubeconfig=/etc/kubernetes/admin.conf create"));
        assertThat(rt.calls).anyMatch(l -> l.endsWith("label nodes --all node.kubernetes.io/exclude-from-external-load-balancers-"));
        assertThat(rt.calls).noneMatch(l -> l.contains("kubeadm join"));
    }

    @Test
    void aFailedJoinStopsTheSequenceRemovesEveryNodeInReverseAndNamesTheStep() {
        RecordingRuntime rt = new RecordingRuntime(line -> line.contains("kubeadm join"));
        assertThatThrownBy(() -> new KindBringUp(ClusterLayout.of(SEED_KIND), rt, Progress.SILENT).run(WORKLOAD))
                .isInstanceOf(KindBringUp.StepFailed.class)
                .hasMessageContaining("kubeadm join node2 failed: exit 1 on node2")
                .hasMessageContaining("fake: kubeadm failed");
        List<String> c = rt.calls;
        assertThat(c.subList(c.size() - 2, c.size())).containsExactly("remove node2", "remove node1");
        assertThat(c).noneMatch(l -> l.contains("/kind/manifests/"));
        assertThat(rt.running).isEmpty();
    }

    @Test
    void eachStepIsOnePlainLineAndAFailedStepNone() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new KindBringUp(ClusterLayout.of(SEED_KIND), new RecordingRuntime(line -> false),
                Progress.plain(new PrintStream(bytes, true, StandardCharsets.UTF_8))).run(WORKLOAD);
        assertThat(bytes.toString(StandardCharsets.UTF_8).lines().map(l -> l.replaceFirst("^ +\\d+\\.\\d\\ds  ", "")))
                .containsExactly(
                        "kind: 2 node container(s) booted (kindest/node:v1.32.2), wired to k8snet",
                        "kind: 2 images imported into 2 node(s) (ctr -n k8s.io images import), kubeadm configs written",
                        "kind: kubeadm init on node1, join on node2",
                        "kind: Calico running in BGP mode on every node, nodes Ready; birdc in a node asks its calico-node",
                        "kind: BGP configuration, 2 manifest(s) and loxi-ccm applied");

        bytes.reset();
        assertThatThrownBy(() -> new KindBringUp(ClusterLayout.of(SEED_KIND), new RecordingRuntime(line -> line.contains("kubeadm join")),
                Progress.plain(new PrintStream(bytes, true, StandardCharsets.UTF_8))).run(WORKLOAD))
                .isInstanceOf(KindBringUp.StepFailed.class);
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("booted").contains("images imported").doesNotContain("kubeadm init");
    }

    @Test
    void aNodeThatFailsToStartIsRemovedWithTheOnesBeforeIt() {
        RecordingRuntime rt = new RecordingRuntime(line -> line.equals("start node2"));
        assertThatThrownBy(() -> new KindBringUp(ClusterLayout.of(SEED_KIND), rt, Progress.SILENT).run(WORKLOAD))
                .hasMessageContaining("fake failure at: start node2");
        assertThat(rt.calls).endsWith("remove node2", "remove node1");
        assertThat(rt.running).isEmpty();
    }
}
