package dev.loxiharness.harness.netns;

import dev.loxiharness.console.Progress;
import dev.loxiharness.harness.backend.Kubectl;
import dev.loxiharness.harness.kube.KubeAgent;
import dev.loxiharness.harness.state.StateDir;
import java.nio.file.Path;

/** The simulated control plane of the netns backend ({@link KubeAgent}): an API server simulation, kubelet, kube-proxy, calico-node. */
final class SimulatedKubernetes implements KubernetesPart {
    private StateDir.ProcessRecord agent;

    @Override
    public void beforeRoles(NetnsTopology topo, Path home) {
        agent = KubeAgent.launch(topo, home);
    }

    @Override
    public void afterRoles(NetnsTopology topo, Path home, Progress progress) {
        KubeAgent.awaitReady(topo, agent, progress);
        KubeAgent.applyManifests(topo, progress);
    }

    @Override
    public Kubectl kubectl(NetnsTopology topo) {
        return Kubectl.withKubeconfig(KubeAgent.kubeconfig(topo.state()));
    }

    @Override
    public String summary(NetnsTopology topo) {
        return "kubernetes: simulated (netns backend); ./topology kubectl get svc   or   export KUBECONFIG="
                + KubeAgent.kubeconfig(topo.state());
    }
}
