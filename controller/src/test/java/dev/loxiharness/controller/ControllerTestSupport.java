package dev.loxiharness.controller;

import static org.awaitility.Awaitility.await;

import dev.loxiharness.controller.config.ControllerConfig;
import dev.loxiharness.controller.k8s.TestObjects;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Helpers shared by the controller tests against fabric8's CRUD mock API server. */
final class ControllerTestSupport {
    static final Duration WAIT = Duration.ofSeconds(15);

    private ControllerTestSupport() {
    }

    /** Intervals short enough for tests: liveness 100 ms, resync 1 s. */
    static ControllerConfig fast(ControllerConfig c) {
        return c.withIntervals(Duration.ofMillis(100), Duration.ofSeconds(1)).withRequestTimeout(Duration.ofSeconds(2));
    }

    static void createNodes(KubernetesClient client, int count) {
        for (int i = 1; i <= count; i++) {
            client.nodes().resource(TestObjects.node("node" + i, "192.168.57.10" + i, true)).create();
        }
    }

    static void setReady(KubernetesClient client, String node, boolean ready) {
        Node n = client.nodes().withName(node).get();
        Node changed = new NodeBuilder(n).editStatus().editFirstCondition().withStatus(ready ? "True" : "False").endCondition().endStatus().build();
        client.nodes().resource(changed).update();
    }

    static String ingressIp(KubernetesClient client, String ns, String name) {
        Service s = client.services().inNamespace(ns).withName(name).get();
        if (s == null || s.getStatus() == null || s.getStatus().getLoadBalancer() == null
                || s.getStatus().getLoadBalancer().getIngress() == null || s.getStatus().getLoadBalancer().getIngress().isEmpty()) {
            return null;
        }
        return s.getStatus().getLoadBalancer().getIngress().get(0).getIp();
    }

    static String awaitIngressIp(KubernetesClient client, String ns, String name) {
        return await().atMost(WAIT).until(() -> ingressIp(client, ns, name), Objects::nonNull);
    }

    static List<Event> events(KubernetesClient client, String ns, String involvedName, String reason) {
        List<Event> out = new ArrayList<>();
        for (Event e : client.v1().events().inNamespace(ns).list().getItems()) {
            if (involvedName.equals(e.getInvolvedObject().getName()) && reason.equals(e.getReason())) {
                out.add(e);
            }
        }
        return out;
    }
}
