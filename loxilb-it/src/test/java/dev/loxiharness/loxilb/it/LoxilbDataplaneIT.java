package dev.loxiharness.loxilb.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.loxiharness.exec.ExecResult;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The daemon in its own network namespace, driven over REST, forwarding real traffic from a client
 * namespace to two nginx backends through nftables. One lab for the class; the steps build on
 * each other (create, update, restart, crash, bad input, delete).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LoxilbDataplaneIT {
    static final String BOTH = rule("{\"endpointIP\":\"10.0.1.2\",\"targetPort\":8080,\"weight\":1},"
            + "{\"endpointIP\":\"10.0.2.2\",\"targetPort\":8080,\"weight\":1}");
    static final String ONLY_BE2 = rule("{\"endpointIP\":\"10.0.2.2\",\"targetPort\":8080,\"weight\":1}");

    static LoxilbLab lab;

    static String rule(String endpoints) {
        return "{\"serviceArguments\":{\"externalIP\":\"" + LoxilbLab.VIP + "\",\"port\":8888,\"protocol\":\"tcp\","
                + "\"sel\":0},\"endpoints\":[" + endpoints + "]}";
    }

    @BeforeAll
    static void up() throws Exception {
        lab = new LoxilbLab();
        lab.startDaemon();
    }

    @AfterAll
    static void down() {
        if (lab != null) {
            lab.close();
        }
    }

    private static Set<String> backendsSeen(int requests) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < requests; i++) {
            seen.add(lab.fetchVip());
        }
        return seen;
    }

    private static String status(ExecResult r) {
        String out = r.stdout();
        return out.substring(out.lastIndexOf('\n') + 1);
    }

    @Test
    @Order(1)
    void createdRuleSpreadsTrafficOverBothBackends() {
        assertThat(lab.fetchVip()).as("no rule yet").isEmpty();
        ExecResult r = lab.api("POST", "/config/loadbalancer", BOTH);
        assertThat(r.stdout()).as(lab.log()).startsWith("{\"result\":\"Success\"}").endsWith("200");
        assertThat(backendsSeen(6)).containsExactlyInAnyOrder("be1", "be2");
        String listed = lab.api("GET", "/config/loadbalancer/all", null).stdout();
        assertThat(listed).as("each endpoint counted its packets")
                .containsPattern("\"counter\":\"[1-9][0-9]*:[1-9][0-9]*\",\"endpointIP\":\"10.0.1.2\"")
                .containsPattern("\"counter\":\"[1-9][0-9]*:[1-9][0-9]*\",\"endpointIP\":\"10.0.2.2\"");
    }

    @Test
    @Order(2)
    void sameRuleAgainIsAConflictAndChangedEndpointsUpdateInPlace() {
        ExecResult again = lab.api("POST", "/config/loadbalancer", BOTH);
        assertThat(status(again)).isEqualTo("409");
        assertThat(again.stdout()).contains("\"result\":\"lbrule-exists error\"");

        ExecResult update = lab.api("POST", "/config/loadbalancer", ONLY_BE2);
        assertThat(status(update)).isEqualTo("200");
        assertThat(backendsSeen(4)).containsExactly("be2");
        assertThat(lab.api("GET", "/config/loadbalancer/all", null).stdout())
                .contains("10.0.2.2").doesNotContain("10.0.1.2");
    }

    @Test
    @Order(3)
    void badInputIsRefusedAndChangesNothing() {
        String nftBefore = lab.lb.exec("nft", "list", "table", "ip", "loxilb").stdout();
        assertThat(status(lab.api("POST", "/config/loadbalancer", "{not json"))).isEqualTo("400");
        assertThat(status(lab.api("POST", "/config/loadbalancer", rule("")))).isEqualTo("400");
        assertThat(status(lab.api("POST", "/config/loadbalancer",
                BOTH.replace("\"sel\":0", "\"mode\":3")))).isEqualTo("400");
        assertThat(status(lab.api("POST", "/config/loadbalancer", BOTH.replace("8888", "\"8888\""))))
                .isEqualTo("422");
        assertThat(lab.lb.exec("nft", "list", "table", "ip", "loxilb").stdout()).isEqualTo(nftBefore);
        assertThat(backendsSeen(2)).containsExactly("be2");
    }

    @Test
    @Order(4)
    void rulesComeBackAfterARestart() {
        lab.api("POST", "/config/loadbalancer", BOTH);
        lab.stopDaemon(false);
        assertThat(lab.lb.exec("nft", "list", "table", "ip", "loxilb").ok())
                .as("a clean exit removes the table").isFalse();
        lab.startDaemon();
        assertThat(backendsSeen(6)).containsExactlyInAnyOrder("be1", "be2");
    }

    @Test
    @Order(5)
    void rulesComeBackAfterACrash() {
        // a change just before the crash is in the rules file's journal (the file is rewritten when idle)
        assertThat(status(lab.api("POST", "/config/loadbalancer", ONLY_BE2))).isEqualTo("200");
        lab.stopDaemon(true);
        lab.startDaemon();
        assertThat(backendsSeen(4)).containsExactly("be2");
        assertThat(lab.lb.exec("nft", "list", "table", "ip", "loxilb").stdout().split("dnat ip to meta mark", -1))
                .as("the stale table was replaced, not added to: one pick chain").hasSize(2);
        assertThat(status(lab.api("POST", "/config/loadbalancer", BOTH))).isEqualTo("200");
        assertThat(backendsSeen(6)).containsExactlyInAnyOrder("be1", "be2");
    }

    @Test
    @Order(6)
    void deletedRuleStopsTraffic() {
        ExecResult r = lab.api("DELETE", "/config/loadbalancer/externalipaddress/" + LoxilbLab.VIP
                + "/port/8888/protocol/tcp?bgp=false&block=0", null);
        assertThat(status(r)).isEqualTo("200");
        await("VIP stops answering").atMost(Duration.ofSeconds(5)).until(() -> lab.fetchVip().isEmpty());
        ExecResult again = lab.api("DELETE", "/config/loadbalancer/externalipaddress/" + LoxilbLab.VIP
                + "/port/8888/protocol/tcp", null);
        assertThat(status(again)).isEqualTo("404");
        assertThat(again.stdout()).contains("\"result\":\"no-rule error\"");
    }
}
