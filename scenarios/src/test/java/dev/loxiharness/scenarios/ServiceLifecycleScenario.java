package dev.loxiharness.scenarios;

import static dev.loxiharness.scenarios.Seed.CLIENT;
import static dev.loxiharness.scenarios.Seed.LB;
import static dev.loxiharness.scenarios.Seed.LB_LLBNET;
import static dev.loxiharness.scenarios.Seed.LOXICMD_ROW;
import static dev.loxiharness.scenarios.Seed.MANIFEST;
import static dev.loxiharness.scenarios.Seed.ROUTER;
import static dev.loxiharness.scenarios.Seed.SERVICE;
import static dev.loxiharness.scenarios.Seed.URL;
import static dev.loxiharness.scenarios.Seed.VIP;
import static dev.loxiharness.scenarios.Seed.eventually;
import static io.qameta.allure.Allure.step;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.loxiharness.junit.Topology;
import dev.loxiharness.junit.TopologyHandle;
import dev.loxiharness.junit.probe.Route;
import dev.loxiharness.netns.ExecResult;
import io.qameta.allure.Feature;
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

    @Test
    @DisplayName("delete the Service: rule, VIP route and IP gone; apply the manifest again: the same 123.123.123.15")
    void deleteAndRecreateTheService() {
        boolean bgp = Seed.bgp(topo);
        step("the Service is served: EXTERNAL-IP, loxilb rule" + (bgp ? ", router route" : "") + ", traffic", () -> served(bgp));

        step("kubectl delete service " + SERVICE, () -> {
            ExecResult r = topo.kubectl("delete", "service", SERVICE);
            assertThat(r.ok()).as("%s\n%s", r, r.stdout()).isTrue();
        });
        step("loxilb's rule is gone (loxicmd get lb, nftables)", () -> {
            eventually("loxicmd get lb: no rule left", () ->
                    assertThat(Seed.loxilbRules(topo)).as("loxicmd get lb -o json (lbAttr)").isEmpty());
            assertThat(Seed.nftServices(topo)).as("services in lb's nftables").isEmpty();
        });
        if (bgp) {
            step("the VIP is withdrawn: gone from loxilb's RIB and from the router's kernel", () -> {
                eventually("gobgp global rib on lb: no VIP /32", () ->
                        assertThat(topo.bgpRib(LB)).as("gobgp global rib on lb").doesNotContainKey(VIP + "/32"));
                eventually("ip route on router: no VIP", () ->
                        assertThat(topo.routes(ROUTER, VIP + "/32")).as("ip -j route show %s/32 on router", VIP).isEmpty());
            });
        }
        step("the IP is gone: no Service holds it and the VIP does not answer", () -> {
            ExecResult get = topo.kubectl("get", "service", SERVICE);
            assertThat(get.ok()).as("kubectl get service %s after delete: %s", SERVICE, get.stdout()).isFalse();
            assertThat(get.stderr()).contains("NotFound");
            eventually("curl VIP from the client: no answer", () ->
                    assertThat(topo.http(CLIENT, URL).status()).as("HTTP status from %s", URL).isZero());
        });

        step("kubectl apply -f " + MANIFEST + " (the same manifest again)", () -> {
            ExecResult r = topo.kubectl("apply", "-f", topo.manifest(MANIFEST).toString());
            assertThat(r.ok()).as("%s\n%s", r, r.stdout()).isTrue();
            assertThat(r.stdout()).contains("service/" + SERVICE + " created");
        });
        step("the same EXTERNAL-IP " + VIP + " comes back, with the rule" + (bgp ? ", the router route" : "") + " and traffic",
                () -> served(bgp));
    }

    private static void served(boolean bgp) {
        eventually("kubectl: " + SERVICE + " has EXTERNAL-IP " + VIP, () ->
                assertThat(Seed.service(topo).at("/status/loadBalancer/ingress"))
                        .as("status.loadBalancer.ingress").extracting(i -> i.path("ip").asText()).containsExactly(VIP));
        eventually("loxicmd get lb --legacy shows the seed's row", () ->
                assertThat(topo.loxicmd(LB, "get", "lb", "--legacy").stdout().lines()).as("loxicmd get lb --legacy").contains(LOXICMD_ROW));
        if (bgp) {
            eventually("ip route on router: the VIP via loxilb", () ->
                    assertThat(topo.routes(ROUTER, VIP + "/32")).as("ip -j route show %s/32 on router", VIP)
                            .extracting(Route::dst, Route::gateway).containsExactly(tuple(VIP, LB_LLBNET)));
        }
        eventually("curl VIP from the client: 200", () ->
                assertThat(topo.http(CLIENT, URL).status()).as("HTTP status from %s", URL).isEqualTo(200));
    }
}
