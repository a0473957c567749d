package dev.loxiharness.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loxiharness.controller.config.ControllerConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A fresh CRUD mock API server and two fake loxilbs per test; the controller under test is closed after it. */
@EnableKubernetesMockClient(crud = true)
abstract class MockClusterTest {
    KubernetesMockServer server;
    KubernetesClient client;

    FakeLoxilb lb1;
    FakeLoxilb lb2;
    LoadBalancerController controller;

    @BeforeEach
    void startLoxilbs() throws Exception {
        lb1 = new FakeLoxilb();
        lb2 = new FakeLoxilb();
    }

    @AfterEach
    void stopAll() {
        if (controller != null) {
            controller.close();
        }
        lb1.close();
        lb2.close();
    }

    /** Starts the controller with test intervals and waits until it has looked at what exists. */
    void start(ControllerConfig config) throws InterruptedException {
        controller = LoadBalancerController.start(client, ControllerTestSupport.fast(config));
        assertThat(controller.awaitReady(ControllerTestSupport.WAIT)).isTrue();
    }

    /** Creates {@code nodes} ready nodes ({@link ControllerTestSupport#createNodes}), then starts the controller. */
    void startWithNodes(int nodes, ControllerConfig config) throws InterruptedException {
        ControllerTestSupport.createNodes(client, nodes);
        start(config);
    }
}
