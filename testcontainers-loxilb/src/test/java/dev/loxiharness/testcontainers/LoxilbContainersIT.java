package dev.loxiharness.testcontainers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.model.Network.Ipam;
import dev.loxiharness.console.Progress;
import dev.loxiharness.exec.Host;
import dev.loxiharness.harness.docker.DockerEngine;
import dev.loxiharness.harness.docker.Images;
import dev.loxiharness.harness.docker.OurImage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.Network;

/**
 * The two containers against the Java loxilb image, on an internal Docker network (no default
 * bridge, nothing reaches out): loxilb's REST API programs a rule that loxicmd shows, and loxilb in
 * BGP mode peers with a BIRD router and learns its route.
 */
class LoxilbContainersIT {
    static final String SUBNET = "198.18.20.0/24";
    static final String LOXILB_IP = "198.18.20.4";
    static final String ROUTER_IP = "198.18.20.55";
    static Network network;

    @BeforeAll
    static void imageAndNetwork() {
        Optional<String> engine = DockerEngine.whyNot();
        Assumptions.assumeTrue(engine.isEmpty(), () -> engine.orElse(""));
        Optional<String> image = Images.whyNotAvailable(LoxilbContainer.DEFAULT_IMAGE, Host.home());
        Assumptions.assumeTrue(image.isEmpty(), () -> image.orElse(""));
        Images.ensure(OurImage.LOXILB, Host.home(), Progress.plain(System.out));
        network = Network.builder().createNetworkCmdModifier(c -> c.withInternal(true)
                .withIpam(new Ipam().withConfig(new Ipam.Config().withSubnet(SUBNET)))).build();
    }

    @AfterAll
    static void removeNetwork() {
        if (network != null) {
            network.close();
        }
    }

    @Test
    void aRulePostedToTheRestApiIsShownByLoxicmd() throws Exception {
        try (LoxilbContainer loxilb = new LoxilbContainer().withNetwork(network)) {
            loxilb.start();
            String rule = """
                    {"serviceArguments":{"externalIP":"123.123.123.15","port":8888,"protocol":"tcp"},
                     "endpoints":[{"endpointIP":"198.18.20.101","targetPort":30000,"weight":1}]}""";
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(loxilb.apiUrl()
                    + "/netlox/v1/config/loadbalancer")).POST(HttpRequest.BodyPublishers.ofString(rule))
                    .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as("POST /netlox/v1/config/loadbalancer: %s", r.body()).isEqualTo(200);
            assertThat(loxilb.loxicmd("get", "lb").getStdout()).contains("| 123.123.123.15 | 8888 | tcp");
            assertThat(loxilb.execInContainer("nft", "list", "table", "ip", "loxilb").getStdout()).contains("123.123.123.15");
        }
    }

    @Test
    void loxilbInBgpModePeersWithABirdRouter() throws Exception {
        String gobgp = """
                global:
                    config:
                        as: 65002
                        router-id: %s
                neighbors:
                    - config:
                        neighbor-address: %s
                        peer-as: 64001
                """.formatted(LOXILB_IP, ROUTER_IP);
        String bird = """
                router id %s;
                protocol device {}
                protocol static { ipv4; route 198.51.100.0/24 blackhole; }
                protocol bgp loxilb {
                    local as 64001; neighbor %s as 65002;
                    connect delay time 1; connect retry time 1;
                    ipv4 { import all; export where source = RTS_STATIC; };
                }
                """.formatted(ROUTER_IP, LOXILB_IP);
        try (LoxilbContainer loxilb = new LoxilbContainer().withNetwork(network).withBgp(gobgp)
                .withCreateContainerCmdModifier(c -> c.withIpv4Address(LOXILB_IP));
             BirdRouterContainer router = new BirdRouterContainer().withNetwork(network).withConfig(bird)
                .withCreateContainerCmdModifier(c -> c.withIpv4Address(ROUTER_IP))) {
            loxilb.start();
            router.start();
            await("gobgp neigh on loxilb: " + ROUTER_IP + " Established").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(250))
                    .untilAsserted(() -> assertThat(loxilb.gobgp("neigh").getStdout()).contains(ROUTER_IP).contains("Establ"));
            await("gobgp global rib on loxilb: the router's 198.51.100.0/24").atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(loxilb.gobgp("global", "rib").getStdout()).contains("198.51.100.0/24"));
            assertThat(router.birdc("show", "protocols", "loxilb").getStdout()).contains("Established");
        }
    }
}
