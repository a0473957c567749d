package dev.loxiharness.harness.netns;

import dev.loxiharness.console.Progress;
import dev.loxiharness.harness.backend.Kubectl;
import dev.loxiharness.harness.docker.Images;
import dev.loxiharness.harness.docker.OurImage;
import dev.loxiharness.harness.kind.CalicoConfig;
import dev.loxiharness.harness.kind.ClusterLayout;
import dev.loxiharness.harness.kind.KindBringUp;
import dev.loxiharness.harness.kind.KindTopology;
import dev.loxiharness.harness.kind.LoxiCcmManifest;
import dev.loxiharness.harness.model.Topology;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A real kind cluster as the topology's Kubernetes: kubeadm, Calico in BGP mode, loxi-ccm in the cluster. */
final class KindKubernetes implements KubernetesPart {

    @Override
    public void afterRoles(NetnsTopology topo, Path home, Progress progress) {
        Topology t = topo.topology();
        ClusterLayout layout = ClusterLayout.of(t);
        Images.ensure(OurImage.LOXI_CCM, home, progress);
        new KindBringUp(layout, new DockerClusterRuntime(topo), progress).run(workload(t, layout, home));
    }

    /** Everything the cluster gets, rendered from the file (also what {@code plan} prints). */
    static KindBringUp.Workload workload(Topology t, ClusterLayout layout, Path home) {
        String calico;
        try {
            calico = Files.readString(KindTopology.calicoManifest(t));
        } catch (IOException e) {
            throw new UncheckedIOException("Calico's manifest " + KindTopology.calicoManifest(t) + ": " + e.getMessage(), e);
        }
        String calicoInstall = CalicoConfig.servicesEndpoint(layout) + "---\n"
                + CalicoConfig.patchManifest(calico, CalicoConfig.nodeEnv(t, layout));
        List<String> manifests = new ArrayList<>(KindTopology.manifests(t).stream().map(CalicoConfig::forCluster).toList());
        String ccmImage = Images.tag(OurImage.LOXI_CCM, home);
        Topology.Controller controller = t.loadBalancer().controller();
        ClusterLayout.ClusterNode ccmNode = controller.node() == null ? null : layout.byNode().get(controller.node());
        String ccm = LoxiCcmManifest.render(controller, ccmImage, ccmNode == null ? null : ccmNode.container());
        List<String> images = KindTopology.clusterImages(t).stream().map(i -> i.equals(OurImage.LOXI_CCM.latest()) ? ccmImage : i).toList();
        return new KindBringUp.Workload(calicoInstall, CalicoConfig.bgpConfiguration(t.kubernetes().calico()), manifests, ccm, images);
    }

    @Override
    public Kubectl kubectl(NetnsTopology topo) {
        String cp = ClusterLayout.of(topo.topology()).controlPlane().container();
        return args -> {
            List<String> argv = new ArrayList<>(List.of("docker", "exec", "-i", cp, "kubectl", "--kubeconfig=" + KindBringUp.ADMIN_KUBECONFIG));
            argv.addAll(args);
            return argv;
        };
    }

    @Override
    public String summary(NetnsTopology topo) {
        ClusterLayout layout = ClusterLayout.of(topo.topology());
        return "kubernetes: kind " + layout.kubernetesVersion() + " (" + layout.nodes().size() + " node containers), Calico "
                + topo.topology().kubernetes().calico().version() + " in BGP mode; ./topology kubectl get svc   or   docker exec -it "
                + layout.controlPlane().container() + " kubectl get svc";
    }
}
