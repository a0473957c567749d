package dev.loxiharness.harness.netns;

import dev.loxiharness.harness.docker.DockerEngine;
import dev.loxiharness.harness.docker.Images;
import dev.loxiharness.harness.docker.OurImage;
import dev.loxiharness.harness.kind.CalicoConfig;
import dev.loxiharness.harness.kind.ClusterLayout;
import dev.loxiharness.harness.kind.KindBringUp;
import dev.loxiharness.harness.kind.KindTopology;
import dev.loxiharness.harness.kind.KubeadmConfig;
import dev.loxiharness.harness.kind.LoxiCcmManifest;
import dev.loxiharness.harness.model.Topology;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The kind-only sections of {@code ./topology plan}: rendered by the same functions {@code up} uses. */
final class KindPlan {
    private KindPlan() {
    }

    static List<String> cluster(Topology t, ClusterLayout layout) {
        List<String> out = new ArrayList<>();
        out.add("kubernetes    " + layout.kubernetesVersion() + " (node image " + layout.nodeImage() + "), kubeadm config API "
                + KubeadmConfig.apiVersion(layout));
        out.add("control plane " + layout.controlPlane().node() + " = container " + layout.controlPlane().container() + ", node-ip "
                + layout.controlPlane().ip() + ", API server " + layout.apiServer() + " (reached by docker exec, never a host port)");
        layout.workers().forEach(w -> out.add("worker        " + w.node() + " = container " + w.container() + ", node-ip " + w.ip()
                + " (kubeadm join)"));
        if (layout.workers().isEmpty()) {
            out.add("single node:  the control-plane taint and the exclude-from-external-load-balancers label are removed");
        }
        out.add("pod CIDR      " + layout.podCidr() + " (blocks /" + layout.blockSize() + "), service CIDR " + layout.serviceCidr());
        out.add("steps         start and wire the node containers, wait for systemd, write /kind/kubeadm.conf, import images,"
                + " kubeadm init, join, Calico, nodes Ready, BGP configuration, manifests, loxi-ccm");
        return out;
    }

    static List<String> kubeadm(ClusterLayout layout) {
        List<String> out = new ArrayList<>();
        for (ClusterLayout.ClusterNode n : layout.nodes()) {
            out.add("# " + n.node() + " (" + n.container() + ")\n" + KubeadmConfig.forNode(layout, n).stripTrailing());
        }
        return out;
    }

    static List<String> calico(Topology t, ClusterLayout layout) {
        List<String> out = new ArrayList<>();
        Path manifest = KindTopology.calicoManifest(t);
        out.add("release       " + t.kubernetes().calico().version() + ", manifest " + manifest
                + (Files.isRegularFile(manifest) ? " (present)" : " (MISSING: see images)"));
        out.add("calico-node environment over the manifest's (imagePullPolicy Never on every container):");
        CalicoConfig.nodeEnv(t, layout).forEach((k, v) -> out.add("  " + k + "=" + v));
        out.add("# applied before the manifest\n" + CalicoConfig.servicesEndpoint(layout).stripTrailing());
        out.add("# applied once calico-node is ready\n" + CalicoConfig.bgpConfiguration(t.kubernetes().calico()).stripTrailing());
        for (String m : KindTopology.manifests(t)) {
            String converted = CalicoConfig.forCluster(m);
            if (converted.contains("crd.projectcalico.org")) {
                out.add("# from the topology's manifests (projectcalico.org/v3 as the CRD the manifest install serves)\n"
                        + converted.stripTrailing());
            }
        }
        return out;
    }

    static List<String> controller(Topology t, ClusterLayout layout, Path home) {
        Topology.Controller c = t.loadBalancer() == null ? null : t.loadBalancer().controller();
        if (c == null) {
            return List.of("none");
        }
        ClusterLayout.ClusterNode node = c.node() == null ? null : layout.byNode().get(c.node());
        String image = Images.resolve(OurImage.LOXI_CCM.latest(), home);
        return List.of("loxi-ccm in the cluster: Deployment kube-system/" + LoxiCcmManifest.NAME + ", image " + image
                        + (node == null ? "" : ", on " + node.container()) + ", waited for with kubectl rollout status",
                "# " + KindBringUp.class.getSimpleName() + " applies\n" + LoxiCcmManifest.render(c, image, node == null ? null
                        : node.container()).stripTrailing());
    }

    static List<String> images(Topology t, Path home) {
        Optional<String> engine = DockerEngine.whyNot();
        List<String> out = new ArrayList<>();
        for (String image : KindTopology.requiredImages(t)) {
            String state = engine.isPresent() ? "presence unknown (Docker engine not running)"
                    : Images.isOurs(image) ? "ours: " + Images.resolve(image, home) + (Images.present(Images.resolve(image, home))
                    ? " present" : " (up builds it)") : Images.present(image) ? "present" : "MISSING: " + Images.remedy(image);
            out.add(String.format("%-42s %s", image, state));
        }
        out.add("the cluster's images go into every node by docker save + ctr -n k8s.io images import; nothing is pulled");
        return out;
    }
}
