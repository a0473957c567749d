package dev.loxiharness.controller;

import static dev.loxiharness.controller.ControllerTestSupport.WAIT;
import static dev.loxiharness.controller.ControllerTestSupport.awaitIngressIp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.loxiharness.controller.config.ControllerConfig;
import dev.loxiharness.controller.k8s.TestObjects;
import dev.loxiharness.controller.loxilb.LbRule;
import dev.loxiharness.controller.loxilb.LoxilbClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class KubeLoxilbControllerTest extends MockClusterTest {

    @Test
    void aServiceGetsTheFirstAddressAndOneRulePerLoxilbWithBothNodes() throws Exception {
        startWithNodes(2, ControllerConfig.kubeLoxilb(lb1.url(), lb2.url()).withExternalCidr("123.123.123.15/24"));
        createService("nginx-service", 8888, 31655);

        assertThat(awaitIngressIp(client, "default", "nginx-service")).isEqualTo("123.123.123.15");
        for (FakeLoxilb lb : new FakeLoxilb[] {lb1, lb2}) {
            await().atMost(WAIT).until(() -> lb.posts().size() == 1);
            JsonNode body = lb.posts().get(0).json();
            assertThat(body.path("serviceArguments").path("externalIP").asString()).isEqualTo("123.123.123.15");
            assertThat(body.path("serviceArguments").path("port").asInt()).isEqualTo(8888);
            assertThat(body.path("serviceArguments").path("protocol").asString()).isEqualTo("tcp");
            assertThat(body.path("serviceArguments").path("name").asString()).isEqualTo("default_nginx-service:llb-inst0");
            assertThat(lb.endpoints("123.123.123.15:8888/tcp")).containsExactly("192.168.57.101:31655*1", "192.168.57.102:31655*1");
        }
        // nothing more to do: no further POST after a resync
        Thread.sleep(1500);
        assertThat(lb1.posts()).hasSize(1);
    }

    @Test
    void servicesOfOtherClassesAreLeftAlone() throws Exception {
        startWithNodes(1, ControllerConfig.kubeLoxilb(lb1.url()));
        client.services().resource(TestObjects.lbService("default", "ccm-one", null, 80, 30080)).create();
        client.services().resource(TestObjects.lbService("default", "other", "example.com/lb", 81, 30081)).create();
        createService("ours", 82, 30082);
        assertThat(awaitIngressIp(client, "default", "ours")).isEqualTo("123.123.123.1");
        Thread.sleep(500);
        assertThat(ControllerTestSupport.ingressIp(client, "default", "ccm-one")).isNull();
        assertThat(ControllerTestSupport.ingressIp(client, "default", "other")).isNull();
        assertThat(lb1.ruleKeys()).containsExactly("123.123.123.1:82/tcp");
    }

    @Test
    void deletingAServiceDeletesItsRulesEverywhereAndTheAddressIsReused() throws Exception {
        startWithNodes(2, ControllerConfig.kubeLoxilb(lb1.url(), lb2.url()).withExternalCidr("123.123.123.15/24").withSetBgp(true));
        createService("web", 8888, 31655);
        assertThat(awaitIngressIp(client, "default", "web")).isEqualTo("123.123.123.15");
        await().atMost(WAIT).until(() -> lb1.ruleKeys().size() == 1 && lb2.ruleKeys().size() == 1);

        client.services().inNamespace("default").withName("web").delete();
        for (FakeLoxilb lb : new FakeLoxilb[] {lb1, lb2}) {
            await().atMost(WAIT).until(() -> lb.deletes().size() == 1);
            assertThat(lb.deletes().get(0).path()).isEqualTo("/netlox/v1/config/loadbalancer/externalipaddress/123.123.123.15/port/8888/protocol/tcp");
            assertThat(lb.deletes().get(0).query()).isEqualTo("bgp=true&block=0");
            assertThat(lb.ruleKeys()).isEmpty();
        }
        await().atMost(WAIT).until(() -> controller.addresses().isEmpty());

        createService("web2", 8888, 31700);
        assertThat(awaitIngressIp(client, "default", "web2")).isEqualTo("123.123.123.15");
        await().atMost(WAIT).until(() -> lb1.ruleKeys().size() == 1);
        assertThat(lb1.endpoints("123.123.123.15:8888/tcp")).containsExactly("192.168.57.101:31700*1", "192.168.57.102:31700*1");
    }

    @Test
    void sharedAndUniqueAddresses() throws Exception {
        startWithNodes(1, ControllerConfig.kubeLoxilb(lb1.url()).withExternalCidr("123.123.123.15/24"));
        createService("a", 80, 30080);
        assertThat(awaitIngressIp(client, "default", "a")).isEqualTo("123.123.123.15");
        createService("b", 443, 30443);
        assertThat(awaitIngressIp(client, "default", "b")).isEqualTo("123.123.123.15");
        createService("c", 80, 30081);
        assertThat(awaitIngressIp(client, "default", "c")).isEqualTo("123.123.123.16");
        await().atMost(WAIT).until(() -> lb1.ruleKeys().size() == 3);
        assertThat(lb1.ruleKeys()).containsExactly("123.123.123.15:443/tcp", "123.123.123.15:80/tcp", "123.123.123.16:80/tcp");
    }

    @Test
    void uniqueModeGivesEachServiceItsOwnAddress() throws Exception {
        startWithNodes(1, ControllerConfig.kubeLoxilb(lb1.url()).withExternalCidr("123.123.123.15/24").withUniqueIp(true));
        createService("a", 80, 30080);
        createService("b", 443, 30443);
        assertThat(awaitIngressIp(client, "default", "a")).isEqualTo("123.123.123.15");
        assertThat(awaitIngressIp(client, "default", "b")).isEqualTo("123.123.123.16");
    }

    @Test
    void aRestartedLoxilbGetsItsRulesBack() throws Exception {
        startWithNodes(2, ControllerConfig.kubeLoxilb(lb1.url(), lb2.url()).withExternalCidr("123.123.123.15/24"));
        createService("web", 8888, 31655);
        await().atMost(WAIT).until(() -> lb1.ruleKeys().size() == 1 && lb2.ruleKeys().size() == 1);

        lb1.stop();
        await().atMost(WAIT).until(() -> controller.loxilbStatus().stream()
                .anyMatch(s -> s.url().equals(lb1.url()) && Boolean.FALSE.equals(s.reachable())));
        lb1.clearRequests();
        lb1.restart();
        await().atMost(WAIT).until(() -> lb1.ruleKeys().size() == 1);
        assertThat(lb1.posts()).hasSize(1);
        assertThat(lb1.endpoints("123.123.123.15:8888/tcp")).containsExactly("192.168.57.101:31655*1", "192.168.57.102:31655*1");
    }

    @Test
    void poolExhaustedGivesAnEventAndThePendingServiceGetsTheNextFreedAddress() throws Exception {
        startWithNodes(1, ControllerConfig.kubeLoxilb(lb1.url()).withExternalCidr("123.123.123.15/32").withUniqueIp(true));
        createService("first", 80, 30080);
        assertThat(awaitIngressIp(client, "default", "first")).isEqualTo("123.123.123.15");

        createService("second", 81, 30081);
        await().atMost(WAIT).until(() -> !ControllerTestSupport.events(client, "default", "second", "AllocationFailed").isEmpty());
        assertThat(ControllerTestSupport.events(client, "default", "second", "AllocationFailed").get(0).getMessage())
                .contains("exhausted", "123.123.123.15/32");
        assertThat(ControllerTestSupport.ingressIp(client, "default", "second")).isNull();

        // still running: a third Service is handled (pending too), and freeing the address serves the waiting ones
        client.services().inNamespace("default").withName("first").delete();
        assertThat(awaitIngressIp(client, "default", "second")).isEqualTo("123.123.123.15");
        await().atMost(WAIT).until(() -> lb1.ruleKeys().equals(List.of("123.123.123.15:81/tcp")));
    }

    @Test
    void nodeAndEndpointChangesUpdateTheRule() throws Exception {
        startWithNodes(3, ControllerConfig.kubeLoxilb(lb1.url()).withExternalCidr("123.123.123.15/24"));
        createService("web", 8888, 31655);
        await().atMost(WAIT).until(() -> lb1.endpoints("123.123.123.15:8888/tcp") != null
                && lb1.endpoints("123.123.123.15:8888/tcp").size() == 3);

        ControllerTestSupport.setReady(client, "node3", false);
        await().atMost(WAIT).untilAsserted(() -> assertThat(lb1.endpoints("123.123.123.15:8888/tcp"))
                .containsExactly("192.168.57.101:31655*1", "192.168.57.102:31655*1"));

        // externalTrafficPolicy Local: only nodes with a ready endpoint
        client.discovery().v1().endpointSlices().resource(TestObjects.slice("default", "web", "web-x1",
                TestObjects.endpoint("10.233.74.70", "node2", true))).create();
        client.services().resource(TestObjects.local(TestObjects.lbService("default", "web", "loxilb.io/loxilb", 8888, 31655))).update();
        await().atMost(WAIT).untilAsserted(() -> assertThat(lb1.endpoints("123.123.123.15:8888/tcp"))
                .containsExactly("192.168.57.102:31655*1"));
        client.discovery().v1().endpointSlices().resource(TestObjects.slice("default", "web", "web-x1",
                TestObjects.endpoint("10.233.74.70", "node2", true), TestObjects.endpoint("10.233.71.5", "node1", true))).update();
        await().atMost(WAIT).untilAsserted(() -> assertThat(lb1.endpoints("123.123.123.15:8888/tcp"))
                .containsExactly("192.168.57.101:31655*1", "192.168.57.102:31655*1"));
    }

    @Test
    void staticIpPoolSelectAndBadAnnotations() throws Exception {
        startWithNodes(1, ControllerConfig.kubeLoxilb(lb1.url()).withPools(Map.of(
                "defaultPool", "123.123.123.15/24", "pool2", "124.124.124.1/24")));
        var fixed = TestObjects.lbService("default", "fixed", "loxilb.io/loxilb", 80, 30080);
        fixed.getMetadata().setAnnotations(Map.of("loxilb.io/staticIP", "10.10.10.10"));
        client.services().resource(fixed).create();
        assertThat(awaitIngressIp(client, "default", "fixed")).isEqualTo("10.10.10.10");

        var pooled = TestObjects.lbService("default", "pooled", "loxilb.io/loxilb", 80, 30081);
        pooled.getMetadata().setAnnotations(Map.of("loxilb.io/poolSelect", "pool2"));
        client.services().resource(pooled).create();
        assertThat(awaitIngressIp(client, "default", "pooled")).isEqualTo("124.124.124.1");

        var bad = TestObjects.lbService("default", "bad", "loxilb.io/loxilb", 80, 30082);
        bad.getMetadata().setAnnotations(Map.of("loxilb.io/staticIP", "not-an-ip"));
        client.services().resource(bad).create();
        await().atMost(WAIT).until(() -> !ControllerTestSupport.events(client, "default", "bad", "InvalidAnnotation").isEmpty());

        var nopool = TestObjects.lbService("default", "nopool", "loxilb.io/loxilb", 80, 30083);
        nopool.getMetadata().setAnnotations(Map.of("loxilb.io/poolSelect", "pool9"));
        client.services().resource(nopool).create();
        await().atMost(WAIT).until(() -> !ControllerTestSupport.events(client, "default", "nopool", "InvalidAnnotation").isEmpty());

        // a static IP inside the pool is taken out of it
        var inPool = TestObjects.lbService("default", "inpool", "loxilb.io/loxilb", 80, 30084);
        inPool.getMetadata().setAnnotations(Map.of("loxilb.io/staticIP", "123.123.123.15"));
        client.services().resource(inPool).create();
        assertThat(awaitIngressIp(client, "default", "inpool")).isEqualTo("123.123.123.15");
        createService("plain", 80, 30085);
        assertThat(awaitIngressIp(client, "default", "plain")).isEqualTo("123.123.123.16");

        // the controller still works after all that
        await().atMost(WAIT).until(() -> lb1.ruleKeys().size() == 4);
        assertThat(ControllerTestSupport.ingressIp(client, "default", "bad")).isNull();
    }

    @Test
    void changingTheTypeAwayFromLoadBalancerDeletesTheRulesAndClearsTheStatus() throws Exception {
        startWithNodes(1, ControllerConfig.kubeLoxilb(lb1.url()).withExternalCidr("123.123.123.15/24"));
        createService("web", 8888, 31655);
        awaitIngressIp(client, "default", "web");
        await().atMost(WAIT).until(() -> lb1.ruleKeys().size() == 1);
        client.services().inNamespace("default").withName("web").edit(s -> {
            s.getSpec().setType("NodePort");
            s.getSpec().setLoadBalancerClass(null);
            return s;
        });
        await().atMost(WAIT).until(() -> lb1.ruleKeys().isEmpty());
        await().atMost(WAIT).until(() -> ControllerTestSupport.ingressIp(client, "default", "web") == null);
        assertThat(lb1.deletes()).hasSize(1);
    }

    @Test
    void aRestartedControllerKeepsTheAddressesInTheStatus() throws Exception {
        startWithNodes(1, ControllerConfig.kubeLoxilb(lb1.url()).withExternalCidr("123.123.123.15/24").withUniqueIp(true));
        createService("a", 80, 30080);
        createService("b", 81, 30081);
        String a = awaitIngressIp(client, "default", "a");
        String b = awaitIngressIp(client, "default", "b");
        await().atMost(WAIT).until(() -> lb1.ruleKeys().size() == 2);
        // a rule someone made by hand (loxicmd): not managed, no name of ours
        new LoxilbClient(lb1.url(), Duration.ofSeconds(2)).create(
                new LbRule(new LbRule.ServiceArguments(
                        "10.9.9.9", "", 80, "tcp", 0, 0, false, false, 0, 0, false, "", 0, "", "", 0, 0, 0, "", 0),
                        List.of(), List.of(), List.of(new LbRule.Endpoint("10.0.0.1", 80, 1))));
        controller.close();
        client.services().inNamespace("default").withName("a").delete();
        start(ControllerConfig.kubeLoxilb(lb1.url()).withExternalCidr("123.123.123.15/24").withUniqueIp(true));
        // the rule of the Service deleted while no controller ran is swept at resync; the hand-made one stays
        await().atMost(WAIT).until(() -> lb1.ruleKeys().equals(List.of("10.9.9.9:80/tcp", "123.123.123.16:81/tcp")));
        createService("c", 82, 30082);
        String c = awaitIngressIp(client, "default", "c");
        assertThat(ControllerTestSupport.ingressIp(client, "default", "b")).isEqualTo(b);
        assertThat(c).isNotEqualTo(b);
        assertThat(controller.addresses()).containsEntry("default/b", b).doesNotContainKey("default/a");
        assertThat(a).isEqualTo("123.123.123.15");
    }

    /** Creates LoadBalancer Service {@code default/name} of class {@code loxilb.io/loxilb}, kube-loxilb's. */
    private void createService(String name, int port, int nodePort) {
        client.services().resource(TestObjects.lbService("default", name, "loxilb.io/loxilb", port, nodePort)).create();
    }
}
