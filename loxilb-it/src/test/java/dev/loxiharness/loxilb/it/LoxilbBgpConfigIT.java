package dev.loxiharness.loxilb.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.loxiharness.exec.ExecResult;
import dev.loxiharness.exec.Paths;
import dev.loxiharness.netns.Lab;
import dev.loxiharness.netns.Netns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** BGP mode without a usable gobgpd config: the daemon serves, and BGP starts from POST /config/bgp/global. */
class LoxilbBgpConfigIT {
    Lab lab;
    Netns lb;
    Path dir;

    @BeforeEach
    void up() throws Exception {
        Assumptions.assumeTrue(Lab.usable() && Paths.onPath("gobgpd"), "needs root, nft and gobgpd");
        lab = Lab.create("lxc");
        lb = lab.namespace("lb");
        dir = Files.createTempDirectory("loxilb-bgpcfg");
    }

    @AfterEach
    void down() {
        if (lab != null) {
            lab.close();
        }
        Paths.deleteTree(dir);
    }

    ExecResult api(String method, String path, String body) {
        return lb.exec(Duration.ofSeconds(20), body, "curl", "-s", "-m", "10", "-X", method,
                "http://127.0.0.1:11111/netlox/v1" + path, "--data-binary", "@-");
    }

    void start(String... extra) {
        List<String> cmd = LoxilbJar.command("128m", "-b", "--config-path", dir.resolve("cfg").toString());
        cmd.addAll(List.of(extra));
        lab.spawn(lb, dir.resolve("loxilb.log"), cmd);
        await("loxilb API").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> api("GET", "/version", null).ok());
    }

    @Test
    void brokenConfigIsReportedAndBgpStartsFromTheApi() throws Exception {
        Path broken = Files.writeString(dir.resolve("gobgp_loxilb.yaml"), "global:\n  config: [ as: oops\n");
        start("--gobgp-config", broken.toString());
        assertThat(Files.readString(dir.resolve("loxilb.log"))).contains("gobgpd refuses " + broken);
        assertThat(api("POST", "/config/bgp/global", "{\"localAs\":65002,\"routerId\":\"172.1.0.2\"}").stdout())
                .isEqualTo("{\"result\":\"Success\"}");
        await("gobgpd runs AS 65002").atMost(Duration.ofSeconds(10))
                .until(() -> lb.exec("gobgp", "global").stdout(), s -> s.contains("AS:        65002"));
        assertThat(api("POST", "/config/bgp/neigh", "{\"ipAddress\":\"10.9.9.9\",\"remoteAs\":64512}").stdout())
                .contains("Success");
        assertThat(api("GET", "/config/bgp/neigh/all", null).stdout()).contains("\"ipAddress\":\"10.9.9.9\"");
    }

    @Test
    void withoutAnyConfigGobgpdWaitsForTheApi() {
        start("--gobgp-config", dir.resolve("missing.yaml").toString());
        assertThat(lb.exec("gobgp", "global").stdout()).doesNotContain("65002");
        assertThat(api("POST", "/config/bgp/global", "{\"routerId\":\"172.1.0.2\"}").stdout()).contains("localAs in body is required");
        assertThat(api("POST", "/config/bgp/global", "{\"localAs\":65002,\"routerId\":\"172.1.0.2\"}").stdout()).contains("Success");
    }
}
