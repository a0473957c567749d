package dev.loxiharness.scenarios;

import static dev.loxiharness.scenarios.Seed.eventually;
import static io.qameta.allure.Allure.step;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.loxiharness.exec.ExecResult;
import dev.loxiharness.harness.probe.Route;
import dev.loxiharness.junit.Topology;
import dev.loxiharness.junit.TopologyHandle;
import io.qameta.allure.Feature;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The Service's life as the controller and loxilb see it: deleting it removes the rule, withdraws
 * the VIP and frees the address; applying the same manifest again brings back the same address.
 */
@Topology("seed.yaml")
@Feature("lifecycle of a LoadBalancer Service")
@DisplayName("Lifecycle of the LoadBalancer Service")
class ServiceLifecycleScenario {
    static TopologyHandle topo;
    static Seed seed;

    @BeforeAll
    static void readTheSeedFromTheTopology() {
        seed = Seed.of(topo);
    }

    @Test
    @DisplayName("delete the Service: rule, VIP route and IP gone; apply the manifest again: the same 123.123.123.15")
    void deleteAndRecreateTheService() {
        boolean bgp = seed.bgp();
        step("the Service is served: EXTERNAL-IP, loxilb rule" + (bgp ? ", router route" : "") + ", traffic", () -> served(bgp));

        step("kubectl delete service " + seed.service(), () -> {
            ExecResult r = topo.kubectl("delete", "service", seed.service());
            assertThat(r.ok()).as("%s\n%s", r, r.stdout()).isTrue();
        });
        step("loxilb's rule is gone (loxicmd get lb, nftables)", () -> {
            eventually("loxicmd get lb: no rule left", () ->
                    assertThat(seed.loxilbRules(topo)).as("loxicmd get lb -o json (lbAttr)").isEmpty());
            assertThat(seed.nftServices(topo)).as("services in lb's nftables").isEmpty();
        });
        if (bgp) {
            step("the VIP is withdrawn: gone from loxilb's RIB and from the router's kernel", () -> {
                eventually("gobgp global rib on lb: no VIP /32", () ->
                        assertThat(topo.bgpRib(seed.lb())).as("gobgp global rib on lb").doesNotContainKey(seed.vip() + "/32"));
                eventually("ip route on router: no VIP", () ->
                        assertThat(topo.routes(seed.router(), seed.vip() + "/32")).as("ip -j route show %s/32 on router", seed.vip()).isEmpty());
            });
        }
        step("the IP is gone: no Service holds it and the VIP does not answer", () -> {
            ExecResult get = topo.kubectl("get", "service", seed.service());
            assertThat(get.ok()).as("kubectl get service %s after delete: %s", seed.service(), get.stdout()).isFalse();
            assertThat(get.stderr()).contains("NotFound");
            eventually("curl VIP from the client: no answer", () ->
                    assertThat(topo.http(seed.client(), seed.url()).status()).as("HTTP status from %s", seed.url()).isZero());
        });

        step("kubectl apply -f " + seed.manifest() + " (the same manifest again)", () -> {
            ExecResult r = topo.kubectl("apply", "-f", topo.manifest(seed.manifest()).toString());
            assertThat(r.ok()).as("%s\n%s", r, r.stdout()).isTrue();
            assertThat(r.stdout()).contains("service/" + seed.service() + " created");
        });
        step("the same EXTERNAL-IP " + seed.vip() + " comes back, with the rule" + (bgp ? ", the router route" : "") + " and traffic",
                () -> served(bgp));
    }

    private static void served(boolean bgp) {
        eventually("kubectl: " + seed.service() + " has EXTERNAL-IP " + seed.vip(), () ->
                assertThat(seed.serviceJson(topo).at("/status/loadBalancer/ingress"))
                        .as("status.loadBalancer.ingress").extracting(i -> i.path("ip").asText()).containsExactly(seed.vip()));
        eventually("loxicmd get lb --legacy shows the seed's row", () ->
                assertThat(topo.loxicmd(seed.lb(), "get", "lb", "--legacy").stdout().lines()).as("loxicmd get lb --legacy").contains(seed.loxicmdRow()));
        if (bgp) {
            eventually("ip route on router: the VIP via loxilb", () ->
                    assertThat(topo.routes(seed.router(), seed.vip() + "/32")).as("ip -j route show %s/32 on router", seed.vip())
                            .extracting(Route::dst, Route::gateway).containsExactly(tuple(seed.vip(), seed.lbOnRouter())));
        }
        eventually("curl VIP from the client: 200", () ->
                assertThat(topo.http(seed.client(), seed.url()).status()).as("HTTP status from %s", seed.url()).isEqualTo(200));
    }
}
