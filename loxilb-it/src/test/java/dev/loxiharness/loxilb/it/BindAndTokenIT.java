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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The daemon as told: {@code --host=127.0.0.1} listens on that address only, though the namespace
 * has another one; and with {@code --userservice} the API wants upstream's login token, which
 * loxicmd passes with {@code --token} as upstream's loxicmd does.
 */
class BindAndTokenIT {
    static final String OTHER = "10.9.9.9";
    static Lab lab;
    static Netns ns;
    static Path dir;

    @BeforeAll
    static void up() throws Exception {
        Assumptions.assumeTrue(Lab.usable(), "needs root with ip, nft and curl");
        lab = Lab.create("hrd");
        dir = Files.createTempDirectory("loxilb-hrd-auth");
        ns = lab.namespace("lb");
        ns.addr("lo", OTHER + "/32");
        Path users = dir.resolve("users");
        ExecResult added = ns.exec(Duration.ofSeconds(30), "Secret-pw1\n",
                LoxilbJar.command("64m", "adduser", "ops", "--role", "admin", "--users-file", users.toString()).toArray(String[]::new));
        assertThat(added.ok()).as(added.toString()).isTrue();
        lab.spawn(ns, dir.resolve("loxilb.log"), LoxilbJar.command("128m",
                "--host=127.0.0.1", "--userservice", "--users-file", users.toString(),
                "--config-path", dir.resolve("config").toString()));
        await("loxilb API").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> curl("http://127.0.0.1:11111/netlox/v1/version").endsWith("200"));
    }

    @AfterAll
    static void down() {
        if (lab != null) {
            lab.close();
            Paths.deleteTree(dir);
        }
    }

    static String curl(String url, String... extra) {
        List<String> cmd = new java.util.ArrayList<>(List.of("curl", "-s", "-m", "5", "-w", "\n%{http_code}"));
        cmd.addAll(List.of(extra));
        cmd.add(url);
        return ns.exec(cmd.toArray(String[]::new)).stdout().strip();
    }

    @Test
    void hostBindsOnlyTheAddressGiven() {
        String listening = ns.exec("ss", "-ltnH").stdout();
        // Java listens on a dual-stack socket: ss shows 127.0.0.1 as [::ffff:127.0.0.1]
        assertThat(listening.lines().filter(l -> l.contains(":11111 ")))
                .singleElement().asString().containsPattern("\\s\\[?(::ffff:)?127\\.0\\.0\\.1]?:11111\\s");
        ExecResult other = ns.exec("curl", "-s", "-m", "5", "http://" + OTHER + ":11111/netlox/v1/version");
        assertThat(other.exitCode()).as("connection to " + OTHER + " refused").isEqualTo(7);
    }

    @Test
    void theApiWantsALoginTokenAndLoxicmdPassesIt() {
        assertThat(curl("http://127.0.0.1:11111/netlox/v1/config/loadbalancer/all"))
                .isEqualTo("{\"code\":401,\"message\":\"unauthenticated for invalid credentials\"}\n401");
        String login = curl("http://127.0.0.1:11111/netlox/v1/auth/login", "-X", "POST",
                "-d", "{\"username\":\"ops\",\"password\":\"Secret-pw1\"}");
        assertThat(login).endsWith("200");
        String token = login.replaceAll("(?s).*\"token\":\"([^\"]+)\".*", "$1");
        assertThat(curl("http://127.0.0.1:11111/netlox/v1/config/loadbalancer", "-X", "POST", "-H", "Authorization: " + token,
                "-d", "{\"serviceArguments\":{\"externalIP\":\"10.200.7.7\",\"port\":80,\"protocol\":\"tcp\"},"
                        + "\"endpoints\":[{\"endpointIP\":\"10.0.1.2\",\"targetPort\":8080,\"weight\":1}]}")).endsWith("200");
        ExecResult without = ns.exec(Duration.ofSeconds(30), null, LoxilbJar.loxicmd("get", "lb", "--token", "not-a-token").toArray(String[]::new));
        assertThat(without.stdout() + without.stderr()).contains("Token not found");
        ExecResult with = ns.exec(Duration.ofSeconds(30), null, LoxilbJar.loxicmd("get", "lb", "--token", token).toArray(String[]::new));
        assertThat(with.ok()).as(with.toString()).isTrue();
        assertThat(with.stdout()).contains("10.200.7.7");
    }
}
