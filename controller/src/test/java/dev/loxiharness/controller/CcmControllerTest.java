package dev.loxiharness.controller;

import static dev.loxiharness.controller.ControllerTestSupport.WAIT;
import static dev.loxiharness.controller.ControllerTestSupport.awaitIngressIp;
import static dev.loxiharness.controller.ControllerTestSupport.createNodes;
import static dev.loxiharness.controller.ControllerTestSupport.ingressIp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.loxiharness.controller.config.ControllerConfig;
import dev.loxiharness.controller.k8s.TestObjects;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** loxi-ccm's role: Services without loadBalancerClass, settings from kube-system/loxilb-config. */
class CcmControllerTest extends MockClusterTest {

    private static ConfigMap seedConfig(Map<String, String> data) {
        return new ConfigMapBuilder().withNewMetadata().withNamespace("kube-system").withName("loxilb-config").endMetadata()
                .withData(data).build();
    }

    @Test
    void theSeedsServiceGetsItsAddressAndRuleFromTheConfigMap() throws Exception {
        createNodes(client, 2);
        client.configMaps().resource(seedConfig(Map.of("apiServerURL", lb1.url(), "externalCIDR", "123.123.123.15/24"))).create();
        start(ControllerConfig.ccm());

        client.services().resource(TestObjects.lbService("default", "nginx-service", null, 8888, 31655)).create();
        client.services().resource(TestObjects.lbService("default", "kube-loxilb-one", "loxilb.io/loxilb", 80, 30080)).create();
        assertThat(awaitIngressIp(client, "default", "nginx-service")).isEqualTo("123.123.123.15");
        await().atMost(WAIT).until(() -> lb1.posts().size() == 1);
        JsonNode args = lb1.posts().get(0).json().path("serviceArguments");
        assertThat(args.path("BGP").asBoolean()).isFalse();
        assertThat(args.path("mode").asInt()).isZero();
        assertThat(args.path("sel").asInt()).isZero();
        // loxi-ccm shares a weight of 10 between the nodes
        assertThat(lb1.endpoints("123.123.123.15:8888/tcp")).containsExactly("192.168.57.101:31655*5", "192.168.57.102:31655*5");
        assertThat(ingressIp(client, "default", "kube-loxilb-one")).isNull();
    }

    @Test
    void configMapChangesArePickedUp() throws Exception {
        startWithNodes(2, ControllerConfig.ccm());

        // no ConfigMap yet: the Service waits with an Event
        client.services().resource(TestObjects.lbService("default", "web", null, 8888, 31655)).create();
        await().atMost(WAIT).until(() -> !ControllerTestSupport.events(client, "default", "web", "AllocationFailed").isEmpty());
        assertThat(ingressIp(client, "default", "web")).isNull();

        client.configMaps().resource(seedConfig(Map.of("apiServerURL", lb1.url(), "externalCIDR", "123.123.123.15/24"))).create();
        assertThat(awaitIngressIp(client, "default", "web")).isEqualTo("123.123.123.15");
        await().atMost(WAIT).until(() -> lb1.ruleKeys().equals(List.of("123.123.123.15:8888/tcp")));

        // new pool, BGP on, onearm, and a second loxilb
        client.configMaps().resource(seedConfig(Map.of("apiServerURL", lb1.url() + "," + lb2.url(),
                "externalCIDR", "124.124.124.10/24", "setBGP", "true", "setLBMode", "1"))).update();
        await().atMost(WAIT).until(() -> "124.124.124.10".equals(ingressIp(client, "default", "web")));
        for (FakeLoxilb lb : new FakeLoxilb[] {lb1, lb2}) {
            await().atMost(WAIT).until(() -> lb.ruleKeys().equals(List.of("124.124.124.10:8888/tcp")));
            JsonNode args = lb.posts().get(lb.posts().size() - 1).json().path("serviceArguments");
            assertThat(args.path("BGP").asBoolean()).isTrue();
            assertThat(args.path("mode").asInt()).isEqualTo(1);
        }
        assertThat(lb1.deletes()).singleElement().satisfies(d -> assertThat(d.path()).contains("/externalipaddress/123.123.123.15/"));

        // BGP off again: loxilb keeps bgp on an update in place, so the rule is deleted (bgp=true) and posted again
        lb1.clearRequests();
        client.configMaps().resource(seedConfig(Map.of("apiServerURL", lb1.url(), "externalCIDR", "124.124.124.10/24",
                "setBGP", "false", "setLBMode", "1"))).update();
        await().atMost(WAIT).until(() -> lb1.posts().size() == 1);
        assertThat(lb1.deletes()).singleElement().satisfies(d -> assertThat(d.query()).isEqualTo("bgp=true&block=0"));
        assertThat(lb1.posts().get(0).json().path("serviceArguments").path("BGP").asBoolean()).isFalse();
    }

    @Test
    void anInvalidConfigMapKeepsTheSettingsInForce() throws Exception {
        createNodes(client, 1);
        client.configMaps().resource(seedConfig(Map.of("apiServerURL", lb1.url(), "externalCIDR", "123.123.123.15/24"))).create();
        start(ControllerConfig.ccm());
        client.configMaps().resource(seedConfig(Map.of("apiServerURL", lb1.url(), "externalCIDR", "123.123.123.15/99"))).update();
        await().atMost(WAIT).until(() -> !ControllerTestSupport.events(client, "kube-system", "loxilb-config", "InvalidConfig").isEmpty());
        assertThat(ControllerTestSupport.events(client, "kube-system", "loxilb-config", "InvalidConfig").get(0).getMessage())
                .contains("123.123.123.15/99");
        client.services().resource(TestObjects.lbService("default", "web", null, 8888, 31655)).create();
        assertThat(awaitIngressIp(client, "default", "web")).isEqualTo("123.123.123.15");
    }
}
