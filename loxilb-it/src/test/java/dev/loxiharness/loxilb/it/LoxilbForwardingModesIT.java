package dev.loxiharness.loxilb.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Selections, modes, allowed sources and probes on the real nftables data plane; each test uses
 * its own VIP port so they do not disturb each other.
 */
class LoxilbForwardingModesIT {
    static LoxilbLab lab;

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

    static void post(int port, String extraArgs, String extraTop, int w1, int w2) {
        String body = "{\"serviceArguments\":{\"externalIP\":\"" + LoxilbLab.VIP + "\",\"port\":" + port
                + ",\"protocol\":\"tcp\"" + extraArgs + "}," + extraTop + "\"endpoints\":["
                + "{\"endpointIP\":\"10.0.1.2\",\"targetPort\":8080,\"weight\":" + w1 + "},"
                + "{\"endpointIP\":\"10.0.2.2\",\"targetPort\":8080,\"weight\":" + w2 + "}]}";
        String out = lab.api("POST", "/config/loadbalancer", body).stdout();
        assertThat(out).as(lab.log()).endsWith("200");
    }

    static List<String> fetch(int port, String path, int n) {
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            seen.add(lab.fetchVip(port, path));
        }
        return seen;
    }

    @Test
    void priorityFollowsTheWeights() {
        post(9001, ",\"sel\":2", "", 3, 1);
        List<String> seen = fetch(9001, "/", 8);
        assertThat(seen).filteredOn("be1"::equals).hasSize(6);
        assertThat(seen).filteredOn("be2"::equals).hasSize(2);
    }

    @Test
    void persistKeepsAClientOnOneBackend() {
        post(9002, ",\"sel\":3", "", 1, 1);
        assertThat(new HashSet<>(fetch(9002, "/", 6))).hasSize(1).doesNotContain("");
    }

    @Test
    void hashBalancesToo() {
        post(9003, ",\"sel\":1", "", 1, 1);
        assertThat(fetch(9003, "/", 4)).allSatisfy(s -> assertThat(s).isIn("be1", "be2"));
    }

    @Test
    void defaultModeKeepsTheClientAddressAndFullnatHidesIt() {
        post(9004, "", "", 1, 1);
        assertThat(new HashSet<>(fetch(9004, "/ip", 4))).containsExactly("198.51.100.10");
        post(9005, ",\"mode\":2", "", 1, 1);
        assertThat(new HashSet<>(fetch(9005, "/ip", 4))).containsExactlyInAnyOrder("10.0.1.1", "10.0.2.1");
    }

    @Test
    void onlyAllowedSourcesGetThrough() {
        post(9006, "", "\"allowedSources\":[{\"prefix\":\"10.9.9.0/24\"}],", 1, 1);
        assertThat(lab.fetchVip(9006, "/")).isEmpty();
        post(9006, "", "\"allowedSources\":[{\"prefix\":\"198.51.100.0/24\"}],", 1, 1);
        assertThat(lab.fetchVip(9006, "/")).isIn("be1", "be2");
    }

    @Test
    void aDeadEndpointIsTakenOutAndPutBack() throws Exception {
        post(9007, ",\"monitor\":true,\"probetype\":\"tcp\",\"probeport\":8080,\"probeTimeout\":1,\"probeRetries\":1",
                "", 1, 1);
        lab.stopBackend("be1");
        try {
            await("be1 marked inactive").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                    .until(() -> lab.api("GET", "/config/loadbalancer/all", null).stdout(),
                            s -> s.contains("\"endpointIP\":\"10.0.1.2\",\"state\":\"inactive\""));
            assertThat(new HashSet<>(fetch(9007, "/", 4))).containsExactly("be2");
        } finally {
            lab.startBackend("be1");
        }
        await("be1 back").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                .until(() -> new HashSet<>(fetch(9007, "/", 4)).size() == 2);
    }
}
