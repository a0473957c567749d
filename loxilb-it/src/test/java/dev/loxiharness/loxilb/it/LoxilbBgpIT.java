package dev.loxiharness.loxilb.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.loxiharness.exec.ExecResult;
import dev.loxiharness.exec.Paths;
import dev.loxiharness.netns.Lab;
import dev.loxiharness.netns.Netns;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The Java loxilb with {@code -b} at the seed's addresses, peering with a BIRD router (AS 64001)
 * and a BIRD Calico node (AS 64512): sessions, VIP advertisement, learnt routes in the kernel,
 * gobgpd supervision and no orphaned gobgpd.
 * <pre>
 *  client 198.51.100.10 -- .1 router 192.168.20.55 --llbnet-- 192.168.20.4 lb 192.168.57.4 --k8snet-- 192.168.57.101 node1
 * </pre>
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LoxilbBgpIT {
    static final String VIP = "123.123.123.15";
    static final String SEED_YAML = """
            global:
                config:
                    as: 65002
                    router-id: 172.1.0.2
            neighbors:
                - config:
                    neighbor-address: 192.168.57.101
                    peer-as: 64512
                  timers:
                    config:
                      connect-retry: 1
                - config:
                    neighbor-address: 192.168.20.55
                    peer-as: 64001
                  timers:
                    config:
                      connect-retry: 1
            """;
    static final String RULE = "{\"serviceArguments\":{\"externalIP\":\"" + VIP + "\",\"port\":8888,\"protocol\":\"tcp\","
            + "\"bgp\":true},\"endpoints\":[{\"endpointIP\":\"192.168.57.101\",\"targetPort\":31655,\"weight\":1}]}";

    static Lab lab;
    static Netns lan, lb, node1, router, client;
    static Path dir;
    static Process daemon;

    @BeforeAll
    static void up() throws Exception {
        Assumptions.assumeTrue(Lab.usable() && Paths.onPath("bird") && Paths.onPath("gobgpd"),
                "needs root with ip, nft, nginx, curl, bird2 and gobgpd (run bin/install-packages)");
        dir = Files.createTempDirectory("loxilb-bgp-it");
        lab = Lab.create("lxb");
        lan = lab.namespace("lan");
        lb = lab.namespace("lb");
        node1 = lab.namespace("node1");
        router = lab.namespace("router");
        client = lab.namespace("client");
        lab.bridge(lan, "k8snet");
        lab.bridge(lan, "llbnet");
        lab.attach(lb, "eth1", "192.168.57.4/24", lan, "k8snet");
        lab.attach(node1, "eth0", "192.168.57.101/24", lan, "k8snet");
        lab.attach(lb, "eth0", "192.168.20.4/24", lan, "llbnet");
        lab.attach(router, "eth0", "192.168.20.55/24", lan, "llbnet");
        lab.veth(client, "eth0", router, "eth1");
        client.addr("eth0", "198.51.100.10/24").route("default", "via", "198.51.100.1");
        router.addr("eth1", "198.51.100.1/24").sysctl("net.ipv4.ip_forward", "1");
        lb.addr("lo", "172.1.0.2/32").sysctl("net.ipv4.ip_forward", "1");
        node1.route("default", "via", "192.168.57.4");
        bird(node1, "node1", """
                router id 192.168.57.101;
                protocol device {}
                protocol static { ipv4; route 10.233.71.0/26 blackhole; }
                protocol bgp loxilb { local 192.168.57.101 as 64512; neighbor 192.168.57.4 as 65002;
                  connect delay time 1; connect retry time 1; error wait time 1, 5;
                  ipv4 { import all; export where source = RTS_STATIC; next hop self; }; }
                """);
        bird(router, "router", """
                router id 192.168.20.55;
                protocol device {}
                protocol direct { ipv4; interface "eth1"; }
                protocol kernel { ipv4 { import none; export where source = RTS_BGP; }; }
                protocol bgp loxilb { local 192.168.20.55 as 64001; neighbor 192.168.20.4 as 65002;
                  connect delay time 1; connect retry time 1; error wait time 1, 5;
                  ipv4 { import all; export where source = RTS_DEVICE; }; }
                """);
        Path www = Files.createDirectories(dir.resolve("www"));
        Files.writeString(www.resolve("index.html"), "node1\n");
        Files.writeString(dir.resolve("nginx.conf"), "pid " + dir.resolve("nginx.pid") + "; error_log "
                + dir.resolve("nginx.err") + "; daemon off; user root; events {}\nhttp { access_log off; server { listen 31655; root "
                + www + "; } }\n");
        lab.spawn(node1, dir.resolve("nginx.log"), List.of("nginx", "-c", dir.resolve("nginx.conf").toString()));
        Files.writeString(dir.resolve("gobgp_loxilb.yaml"), SEED_YAML);
        startDaemon();
    }

    static void bird(Netns ns, String name, String conf) throws IOException {
        Path file = dir.resolve(name + ".bird");
        Files.writeString(file, conf);
        lab.spawn(ns, dir.resolve(name + ".bird.log"), List.of("bird", "-f", "-c", file.toString(),
                "-s", dir.resolve(name + ".ctl").toString()));
    }

    static void startDaemon() {
        daemon = lab.spawn(lb, dir.resolve("loxilb.log"), LoxilbJar.command("128m",
                "-b", "--gobgp-config", dir.resolve("gobgp_loxilb.yaml").toString(),
                "--config-path", dir.resolve("config").toString()));
        await("loxilb API").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> api("GET", "/version", null).ok());
    }

    @AfterAll
    static void down() {
        if (lab != null) {
            lab.close();
        }
        Paths.deleteTree(dir);
    }

    static ExecResult api(String method, String path, String body) {
        return lb.exec(Duration.ofSeconds(20), body, "curl", "-s", "-m", "10", "-X", method,
                "http://127.0.0.1:11111/netlox/v1" + path, "--data-binary", "@-");
    }

    static String log() {
        try {
            return Files.readString(dir.resolve("loxilb.log"));
        } catch (IOException e) {
            return e.toString();
        }
    }

    static Optional<ProcessHandle> gobgpd() {
        return daemon.toHandle().children().filter(p -> p.info().command().orElse("").endsWith("gobgpd")).findFirst();
    }

    static void awaitEstablished() {
        await("both sessions Established").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> lb.exec("gobgp", "neigh").stdout(),
                        s -> s.lines().filter(l -> l.contains("Establ")).count() == 2);
    }

    static boolean routerHasVip() {
        return router.exec("ip", "route", "show", VIP).stdout().contains("via 192.168.20.4");
    }

    @Test
    @Order(1)
    void sessionsComeUpWithBothPeers() {
        awaitEstablished();
        assertThat(api("GET", "/config/bgp/neigh/all", null).stdout())
                .contains("\"ipAddress\":\"192.168.57.101\"", "\"remoteAs\":64512", "\"state\":\"ESTABLISHED\"")
                .contains("\"ipAddress\":\"192.168.20.55\"", "\"remoteAs\":64001");
    }

    @Test
    @Order(2)
    void learntRoutesReachTheKernel() {
        await("node1's block in lb's kernel").atMost(Duration.ofSeconds(10))
                .until(() -> lb.exec("ip", "route", "show", "proto", "bgp").stdout(),
                        s -> s.contains("10.233.71.0/26 via 192.168.57.101") && s.contains("198.51.100.0/24 via 192.168.20.55"));
        assertThat(lb.exec("gobgp", "global", "rib").stdout()).contains("10.233.71.0/26", "192.168.57.101");
    }

    @Test
    @Order(3)
    void aBgpRuleIsAdvertisedAndCarriesTraffic() {
        assertThat(api("POST", "/config/loadbalancer", RULE).stdout()).as(log()).contains("Success");
        await("VIP in the router's kernel").atMost(Duration.ofSeconds(10)).until(LoxilbBgpIT::routerHasVip);
        assertThat(router.exec("birdc", "-s", dir.resolve("router.ctl").toString(), "show", "route", "all", VIP + "/32")
                .stdout()).contains("65002 {65002}").contains("IGP");
        await("curl through the VIP").atMost(Duration.ofSeconds(10))
                .until(() -> client.exec("curl", "-s", "-m", "1", "http://" + VIP + ":8888/").stdout().strip(), "node1"::equals);
    }

    @Test
    @Order(4)
    void killedGobgpdIsRestartedAndTheVipComesBack() {
        ProcessHandle first = gobgpd().orElseThrow(() -> new AssertionError("no gobgpd child of loxilb\n" + log()));
        first.destroyForcibly();
        await("a new gobgpd").atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(50))
                .until(() -> gobgpd().map(p -> p.pid() != first.pid()).orElse(false));
        awaitEstablished();
        await("VIP back in the router's kernel").atMost(Duration.ofSeconds(10)).until(LoxilbBgpIT::routerHasVip);
    }

    @Test
    @Order(5)
    void deletingTheRuleWithdrawsTheVip() {
        assertThat(api("DELETE", "/config/loadbalancer/externalipaddress/" + VIP + "/port/8888/protocol/tcp?bgp=true", null)
                .stdout()).contains("Success");
        await("VIP gone from the router").atMost(Duration.ofSeconds(10)).until(() -> !routerHasVip());
    }

    @Test
    @Order(6)
    void badNeighbourRequestsGetClearAnswers() {
        assertThat(api("POST", "/config/bgp/neigh", "{\"ipAddress\":\"10.0.0.9\"}").stdout()).contains("remoteAs in body is required");
        assertThat(api("POST", "/config/bgp/neigh", "{\"ipAddress\":\"10.0.0\",\"remoteAs\":1}").stdout()).contains("malformed");
        assertThat(api("DELETE", "/config/bgp/neigh/10.9.9.9?remoteAs=1", null).stdout()).contains("no neigh found");
        assertThat(api("DELETE", "/config/bgp/neigh/10.9.9.9", null).stdout()).contains("remoteAs in query is required");
        assertThat(api("POST", "/config/bgp/neigh", "{\"ipAddress\":\"192.168.57.102\",\"remoteAs\":64512}").stdout())
                .contains("Success");
        assertThat(lb.exec("gobgp", "neigh").stdout()).contains("192.168.57.102");
    }

    @Test
    @Order(7)
    void gobgpdNeverOutlivesTheDaemon() {
        ProcessHandle child = gobgpd().orElseThrow();
        daemon.destroyForcibly();
        await("gobgpd gone after the JVM was killed").atMost(Duration.ofSeconds(3)).until(() -> !child.isAlive());
        startDaemon();
        awaitEstablished();
        ProcessHandle next = gobgpd().orElseThrow();
        lab.stop(daemon, 10_000);
        assertThat(next.isAlive()).as("gobgpd stopped with a clean exit").isFalse();
        assertThat(lb.exec("ip", "route", "show", "proto", "bgp").stdout()).as("no stale bgp routes").isBlank();
    }
}
