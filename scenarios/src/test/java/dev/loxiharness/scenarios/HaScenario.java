package dev.loxiharness.scenarios;

import static dev.loxiharness.scenarios.Seed.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.loxiharness.exec.ExecResult;
import dev.loxiharness.harness.probe.HttpResponse;
import dev.loxiharness.harness.probe.Route;
import dev.loxiharness.junit.Topology;
import dev.loxiharness.junit.TopologyHandle;
import io.qameta.allure.Allure;
import io.qameta.allure.Feature;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two loxilbs (ha.yaml): the router reaches the VIP through both (ECMP) and traffic really flows
 * through both; with upstream's HA states (POST /config/cistate) the router prefers the MASTER, and
 * when the master's loxilb dies the backup carries the traffic. The failover time is measured and
 * attached to the report (a figure, not an assertion).
 */
@Topology("ha.yaml")
@Feature("HA: two loxilbs, ECMP and failover")
@DisplayName("HA: two loxilbs, ECMP and failover")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HaScenario {
    static final String VIP = "123.123.123.15";
    static final String URL = "http://" + VIP + ":8888/";
    static final Pattern PACKETS = Pattern.compile("packets (\\d+)");
    static TopologyHandle topo;

    private static String nextHops() {
        List<Route> routes = topo.routes("router", VIP + "/32");
        return routes.isEmpty() ? "" : routes.get(0).gateway();
    }

    /** The packets loxilb's rule counted towards its endpoints (nft counters in its table). */
    private static long packets(String lb) {
        ExecResult r = topo.exec(lb, "nft", "list", "table", "ip", "loxilb");
        long sum = 0;
        Matcher m = PACKETS.matcher(r.stdout());
        while (m.find()) {
            sum += Long.parseLong(m.group(1));
        }
        return sum;
    }

    private static void haState(String lb, String state) {
        ExecResult r = topo.exec(lb, "curl", "-s", "-X", "POST", "-H", "Content-Type: application/json", "-d",
                "{\"instance\":\"llb-inst0\",\"state\":\"" + state + "\",\"vip\":\"0.0.0.0\"}",
                "http://127.0.0.1:11111/netlox/v1/config/cistate");
        assertThat(r.stdout()).as("POST /config/cistate %s on %s: %s", state, lb, r).contains("Success");
    }

    @Test
    @Order(1)
    @DisplayName("the router's route to the VIP has both loxilbs as next hops (ECMP)")
    void routerHasEcmpThroughBothLoxilbs() {
        eventually("ip route on router: " + VIP + " via 192.168.20.4 and 192.168.20.5", () ->
                assertThat(nextHops()).as("next hops of %s/32 on router", VIP).isEqualTo("192.168.20.4,192.168.20.5"));
        Allure.addAttachment("ip route show " + VIP + " (router)", "text/plain",
                topo.exec("router", "ip", "route", "show", VIP + "/32").stdout());
    }

    @Test
    @Order(2)
    @DisplayName("client connections are spread over both loxilbs (flows hashed on ports)")
    void trafficFlowsThroughBoth() {
        long lb1 = packets("lb1");
        long lb2 = packets("lb2");
        List<HttpResponse> answers = IntStream.range(0, 20).mapToObj(i -> topo.http("client", URL)).toList();
        assertThat(answers).allSatisfy(r -> assertThat(r.status()).as("%s", r).isEqualTo(200));
        assertThat(packets("lb1")).as("packets through lb1").isGreaterThan(lb1);
        assertThat(packets("lb2")).as("packets through lb2").isGreaterThan(lb2);
    }

    @Test
    @Order(3)
    @DisplayName("cistate MASTER on lb1 and BACKUP on lb2: the router prefers lb1 (upstream's MED and local preference)")
    void theRouterPrefersTheMaster() {
        haState("lb1", "MASTER");
        haState("lb2", "BACKUP");
        eventually("ip route on router: " + VIP + " via lb1 only", () ->
                assertThat(nextHops()).as("next hops of %s/32 on router", VIP).isEqualTo("192.168.20.4"));
        Allure.addAttachment("birdc show route for " + VIP + " all (router)", "text/plain",
                topo.birdc("router", "show", "route", "for", VIP + "/32", "all"));
        assertThat(topo.http("client", URL).status()).isEqualTo(200);
    }

    @Test
    @Order(4)
    @DisplayName("the master's loxilb killed: the router fails over to the backup and the client is served")
    void theBackupTakesOverWhenTheMasterDies() {
        long t0 = System.nanoTime();
        var killed = topo.fault("lb1").kill("loxilb");
        eventually("ip route on router: " + VIP + " via lb2", () ->
                assertThat(nextHops()).as("next hops of %s/32 on router", VIP).isEqualTo("192.168.20.5"));
        double routeMs = (System.nanoTime() - t0) / 1e6;
        List<String> failures = new ArrayList<>();
        eventually("the client is served through lb2", () -> {
            HttpResponse r = topo.http("client", URL);
            if (r.status() != 200) {
                failures.add(r.toString());
            }
            assertThat(r.status()).as("%s", r).isEqualTo(200);
        });
        double servedMs = (System.nanoTime() - t0) / 1e6;
        List<HttpResponse> after = IntStream.range(0, 10).mapToObj(i -> topo.http("client", URL)).toList();
        assertThat(after).as("10 requests after convergence").allSatisfy(r -> assertThat(r.status()).isEqualTo(200));
        Allure.addAttachment("failover", "text/plain", String.format("%s%n"
                + "router's route via lb2 only after %.0f ms%nfirst 200 through lb2 after %.0f ms%nfailed requests before: %s%n",
                killed, routeMs, servedMs, failures));
        System.out.printf("HA failover: route via lb2 after %.0f ms, first 200 after %.0f ms%n", routeMs, servedMs);
        assertThat(topo.loxicmd("lb2", "get", "lb").stdout()).as("loxicmd get lb on lb2").contains(VIP);
    }
}
