package dev.loxiharness.controller;

import dev.loxiharness.controller.config.ControllerConfig;
import dev.loxiharness.controller.k8s.ServiceController;
import dev.loxiharness.controller.loxilb.LbRule;
import dev.loxiharness.controller.loxilb.LoxilbTarget;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The library entry point: runs the controller in-process on a given client until closed.
 *
 * <pre>{@code
 * try (var lb = LoadBalancerController.start(client, ControllerConfig.ccm())) {
 *     lb.awaitReady(Duration.ofSeconds(10));
 *     ...
 * }
 * }</pre>
 *
 * Closing stops the controller's threads and informers; it does not close the client, and the
 * rules stay in loxilb (as when upstream's controllers stop).
 */
public final class LoadBalancerController implements AutoCloseable {
    private final ServiceController controller;

    private LoadBalancerController(ServiceController controller) {
        this.controller = controller;
    }

    public static LoadBalancerController start(KubernetesClient client, ControllerConfig config) {
        return new LoadBalancerController(ServiceController.start(client, config));
    }

    /** True once the caches are filled and every existing Service has been reconciled once. */
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        return controller.awaitReady(timeout);
    }

    /** Service ({@code namespace/name}) to the external IP it holds. */
    public Map<String, String> addresses() {
        return controller.addresses();
    }

    /** The rules every loxilb should have. */
    public List<LbRule> desiredRules() {
        return controller.rules().all();
    }

    /** What the controller knows of each loxilb. */
    public List<LoxilbTarget.Status> loxilbStatus() {
        return controller.loxilbStatus();
    }

    @Override
    public void close() {
        controller.close();
    }
}
