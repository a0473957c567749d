package dev.loxiharness.harness.kube;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodIPBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulated kubelets of every node: a pod bound to a node becomes a Calico-wired namespace
 * running nginx and is reported Running and Ready; an image other than nginx stays Pending with
 * the reason; a deleted pod's namespace goes.
 */
final class Kubelet {
    private static final Logger LOG = LoggerFactory.getLogger(Kubelet.class);

    private final KubernetesClient client;
    private final PodSandboxes sandboxes;
    private final Set<String> nodes;
    private final Map<String, String> nodeAddresses;
    private final Set<String> refused = new HashSet<>();

    Kubelet(KubernetesClient client, PodSandboxes sandboxes, Set<String> nodes, Map<String, String> nodeAddresses) {
        this.client = client;
        this.sandboxes = sandboxes;
        this.nodes = nodes;
        this.nodeAddresses = nodeAddresses;
    }

    static String sandboxKey(Pod p) {
        return ClusterView.key(p) + "@" + p.getMetadata().getUid();
    }

    void reconcile(ClusterView view) {
        Set<String> wanted = new HashSet<>();
        for (Pod p : view.pods()) {
            String node = p.getSpec().getNodeName();
            if (node == null || !nodes.contains(node) || p.getMetadata().getDeletionTimestamp() != null) {
                continue;
            }
            String key = sandboxKey(p);
            wanted.add(key);
            if (sandboxes.get(key) != null || refused.contains(key)) {
                continue;
            }
            List<Container> containers = p.getSpec().getContainers();
            boolean nginx = !containers.isEmpty() && containers.stream().allMatch(c -> KubeSimulation.runsImage(c.getImage()));
            if (!nginx) {
                refused.add(key);
                pending(p, "the netns backend runs nginx images only; image " + containers.stream()
                        .map(Container::getImage).toList() + " is not run");
                continue;
            }
            List<Integer> ports = new ArrayList<>();
            containers.forEach(c -> c.getPorts().stream().map(ContainerPort::getContainerPort).forEach(ports::add));
            try {
                PodSandboxes.Sandbox s = sandboxes.start(key, node, ports);
                running(p, s);
                LOG.info("pod {} running on {} at {}", ClusterView.key(p), node, s.ip());
            } catch (RuntimeException e) {
                LOG.error("pod {} could not start on {}: {}", ClusterView.key(p), node, e.getMessage());
                refused.add(key);
                pending(p, "sandbox failed: " + e.getMessage());
            }
        }
        for (String key : sandboxes.keys()) {
            if (!wanted.contains(key)) {
                sandboxes.stop(key);
                LOG.info("pod {} stopped", key);
            }
        }
        refused.retainAll(wanted);
    }

    private void running(Pod p, PodSandboxes.Sandbox s) {
        String now = Instant.now().toString();
        List<PodCondition> conditions = new ArrayList<>();
        for (String type : List.of("PodScheduled", "Initialized", "ContainersReady", "Ready")) {
            conditions.add(new PodConditionBuilder().withType(type).withStatus("True").withLastTransitionTime(now).build());
        }
        client.pods().inNamespace(p.getMetadata().getNamespace()).withName(p.getMetadata().getName()).editStatus(x -> {
            x.getStatus().setPhase("Running");
            x.getStatus().setPodIP(s.ip());
            x.getStatus().setPodIPs(List.of(new PodIPBuilder().withIp(s.ip()).build()));
            x.getStatus().setHostIP(nodeAddresses.get(s.node()));
            x.getStatus().setStartTime(now);
            x.getStatus().setConditions(conditions);
            x.getStatus().setContainerStatuses(p.getSpec().getContainers().stream().map(c -> new ContainerStatusBuilder()
                    .withName(c.getName()).withImage(c.getImage()).withReady(true).withStarted(true).withRestartCount(0)
                    .withNewState().withNewRunning().withStartedAt(now).endRunning().endState().build()).toList());
            return x;
        });
    }

    private void pending(Pod p, String message) {
        client.pods().inNamespace(p.getMetadata().getNamespace()).withName(p.getMetadata().getName()).editStatus(x -> {
            x.getStatus().setPhase("Pending");
            x.getStatus().setContainerStatuses(p.getSpec().getContainers().stream().map(c -> new ContainerStatusBuilder()
                    .withName(c.getName()).withImage(c.getImage()).withReady(false).withRestartCount(0)
                    .withNewState().withNewWaiting().withReason("ImageNotSupported").withMessage(message)
                    .endWaiting().endState().build()).toList());
            return x;
        });
        LOG.warn("pod {} stays Pending: {}", ClusterView.key(p), message);
    }
}
