package dev.loxiharness.controller;

import static dev.loxiharness.controller.ControllerTestSupport.WAIT;
import static dev.loxiharness.controller.ControllerTestSupport.awaitIngressIp;
import static dev.loxiharness.controller.ControllerTestSupport.createNodes;
import static dev.loxiharness.controller.ControllerTestSupport.fast;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.loxiharness.controller.config.ControllerConfig;
import dev.loxiharness.controller.k8s.TestObjects;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The controller starts before the API server answers, and waits for it instead of giving up. */
class ApiServerLaterTest {

    @Test
    void theControllerWaitsForTheApiServer() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Config config = new ConfigBuilder(Config.empty()).withMasterUrl("http://127.0.0.1:" + port).withRequestTimeout(2000)
                .withConnectionTimeout(1000).build();
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        try (FakeLoxilb lb = new FakeLoxilb();
             KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
             LoadBalancerController controller = LoadBalancerController.start(client,
                     fast(ControllerConfig.kubeLoxilb(lb.url()).withExternalCidr("123.123.123.15/24")))) {
            assertThat(controller.awaitReady(Duration.ofSeconds(2))).isFalse();
            server.init(InetAddress.getLoopbackAddress(), port);
            assertThat(controller.awaitReady(WAIT)).isTrue();
            createNodes(client, 1);
            client.services().resource(TestObjects.lbService("default", "web", "loxilb.io/loxilb", 8888, 31655)).create();
            assertThat(awaitIngressIp(client, "default", "web")).isEqualTo("123.123.123.15");
            await().atMost(WAIT).until(() -> lb.ruleKeys().equals(List.of("123.123.123.15:8888/tcp")));
        } finally {
            server.destroy();
        }
    }
}
