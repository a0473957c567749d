package dev.loxiharness.controller.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loxiharness.controller.config.Mode;
import dev.loxiharness.controller.loxilb.LbRule;
import dev.loxiharness.controller.loxilb.LoxilbClient;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class RuleBuilderTest {
    private static final RuleBuilder.Params KUBE_LOXILB = new RuleBuilder.Params(Mode.KUBE_LOXILB, false, 0, "llb-inst0");

    /**
     * The exact body kube-loxilb (pkg/api/lb.go LoadBalancerModel, marshalled by Go's encoding/json)
     * posts for the seed's nginx-service on two nodes, default settings.
     */
    private static final String KUBE_LOXILB_BODY = "{\"serviceArguments\":{\"externalIP\":\"123.123.123.15\",\"privateIP\":\"\","
            + "\"port\":8888,\"protocol\":\"tcp\",\"sel\":0,\"mode\":0,\"BGP\":false,\"Monitor\":false,\"inactiveTimeOut\":1800,"
            + "\"block\":0,\"managed\":true,\"probetype\":\"\",\"probeport\":0,\"probereq\":\"\",\"proberesp\":\"\","
            + "\"name\":\"default_nginx-service:llb-inst0\"},\"secondaryIPs\":[],\"allowedSources\":[],"
            + "\"endpoints\":[{\"endpointIP\":\"192.168.57.101\",\"targetPort\":31655,\"weight\":1,\"state\":\"\",\"counter\":\"\"},"
            + "{\"endpointIP\":\"192.168.57.102\",\"targetPort\":31655,\"weight\":1,\"state\":\"\",\"counter\":\"\"}]}";

    @Test
    void theBodyIsKubeLoxilbsByteForByte() {
        Service svc = TestObjects.lbService("default", "nginx-service", "loxilb.io/loxilb", 8888, 31655);
        List<LbRule> rules = RuleBuilder.build(KUBE_LOXILB, svc, "123.123.123.15", 1800, List.of("192.168.57.101", "192.168.57.102"));
        assertThat(rules).hasSize(1);
        assertThat(LoxilbClient.toJson(rules.get(0))).isEqualTo(KUBE_LOXILB_BODY);
    }

    @Test
    void onePerPortWithLowerCaseProtocolModeBgpAndSourceRanges() {
        Service svc = new ServiceBuilder(TestObjects.lbService("shop", "front", null, 80, 30080))
                .editSpec()
                    .addNewPort().withName("dns").withProtocol("UDP").withPort(53).withNodePort(30053).endPort()
                    .addNewPort().withName("pending").withProtocol("TCP").withPort(443).endPort()
                    .withLoadBalancerSourceRanges("198.51.100.0/24", "not-a-cidr")
                .endSpec().build();
        RuleBuilder.Params ccm = new RuleBuilder.Params(Mode.CCM, true, 2, "llb-inst0");
        List<LbRule> rules = RuleBuilder.build(ccm, svc, "123.123.123.15", 1800, List.of("192.168.57.101", "192.168.57.102", "192.168.57.103"));
        assertThat(rules).extracting(r -> r.key().toString()).containsExactly("123.123.123.15:80/tcp", "123.123.123.15:53/udp");
        LbRule udp = rules.get(1);
        assertThat(udp.serviceArguments().bgp()).isTrue();
        assertThat(udp.serviceArguments().mode()).isEqualTo(2);
        assertThat(udp.serviceArguments().sel()).isZero();
        assertThat(udp.serviceArguments().managed()).isTrue();
        assertThat(udp.name()).isEqualTo("shop_front:llb-inst0");
        assertThat(udp.allowedSources()).containsExactly(new LbRule.AllowedSource("198.51.100.0/24"));
        assertThat(udp.endpoints()).extracting(LbRule.Endpoint::targetPort).containsOnly(30053);
        assertThat(udp.endpoints()).extracting(LbRule.Endpoint::weight).containsExactly(4, 3, 3);
        String json = LoxilbClient.toJson(udp);
        assertThat(json).contains("\"BGP\":true", "\"mode\":2", "\"protocol\":\"udp\"", "\"allowedSources\":[{\"prefix\":\"198.51.100.0/24\"}]");
    }

    @Test
    void noEndpointMeansNoRule() {
        Service svc = TestObjects.lbService("default", "web", null, 8888, 31655);
        assertThat(RuleBuilder.build(KUBE_LOXILB, svc, "123.123.123.15", 1800, List.of())).isEmpty();
    }
}
