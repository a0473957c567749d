package dev.loxiharness.harness.kube;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Binds each unscheduled pod to the node that runs the fewest pods (ties: topology order). */
final class Scheduler {
    private final KubernetesClient client;
    private final List<String> nodes;

    Scheduler(KubernetesClient client, List<String> nodes) {
        this.client = client;
        this.nodes = nodes;
    }

    void reconcile(ClusterView view) {
        Map<String, Integer> load = new HashMap<>();
        nodes.forEach(n -> load.put(n, 0));
        for (Pod p : view.pods()) {
            String n = p.getSpec().getNodeName();
            if (n != null && load.containsKey(n)) {
                load.merge(n, 1, Integer::sum);
            }
        }
        for (Pod p : view.pods()) {
            if (p.getSpec().getNodeName() != null || p.getMetadata().getDeletionTimestamp() != null || nodes.isEmpty()) {
                continue;
            }
            String target = nodes.stream().min((a, b) -> Integer.compare(load.get(a), load.get(b))).orElseThrow();
            client.pods().inNamespace(p.getMetadata().getNamespace()).withName(p.getMetadata().getName())
                    .edit(x -> {
                        x.getSpec().setNodeName(target);
                        return x;
                    });
            load.merge(target, 1, Integer::sum);
        }
    }
}
