package dev.loxiharness.loxilb.it;

import static org.awaitility.Awaitility.await;

import dev.loxiharness.exec.ExecResult;
import dev.loxiharness.exec.Paths;
import dev.loxiharness.netns.Lab;
import dev.loxiharness.netns.Netns;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/**
 * A client, the Java loxilb and two nginx backends, each in its own network namespace:
 * <pre>
 * client 198.51.100.10 --- 198.51.100.1 lb 10.0.1.1 --- 10.0.1.2 be1 (nginx :8080 "be1")
 *                                          10.0.2.1 --- 10.0.2.2 be2 (nginx :8080 "be2")
 * </pre>
 * The VIP lives nowhere: the client's default route leads to lb, whose nftables DNAT does the rest.
 */
final class LoxilbLab implements AutoCloseable {
    static final String VIP = "123.123.123.15";

    final Lab lab = Lab.create("lxt");
    final Netns client = lab.namespace("client");
    final Netns lb = lab.namespace("lb");
    final Netns be1 = lab.namespace("be1");
    final Netns be2 = lab.namespace("be2");
    final Path dir;
    private final Map<String, Process> backends = new HashMap<>();
    private Process daemon;

    LoxilbLab() throws IOException {
        Assumptions.assumeTrue(Lab.usable(), "needs root with ip, nft, nginx and curl (run bin/install-packages)");
        dir = Files.createTempDirectory("loxilb-it");
        try {
            lab.veth(client, "eth0", lb, "eth0");
            client.addr("eth0", "198.51.100.10/24").route("default", "via", "198.51.100.1");
            lb.addr("eth0", "198.51.100.1/24");
            int i = 1;
            for (Netns be : List.of(be1, be2)) {
                lab.veth(lb, "be" + i, be, "eth0");
                lb.addr("be" + i, "10.0." + i + ".1/24");
                be.addr("eth0", "10.0." + i + ".2/24").route("default", "via", "10.0." + i + ".1");
                nginx(be, "be" + i);
                i++;
            }
            lb.sysctl("net.ipv4.ip_forward", "1");
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Stops a backend's nginx (to see probes take it out). */
    void stopBackend(String name) {
        lab.stop(backends.remove(name), 5000);
    }

    void startBackend(String name) throws IOException {
        nginx(name.equals("be1") ? be1 : be2, name);
    }

    private void nginx(Netns ns, String name) throws IOException {
        Path root = Files.createDirectories(dir.resolve(name));
        Files.writeString(root.resolve("index.html"), name + "\n");
        Path conf = dir.resolve(name + ".conf");
        Files.writeString(conf, "pid " + dir.resolve(name + ".pid") + "; error_log " + dir.resolve(name + ".err")
                + "; daemon off; user root; events {}\nhttp { access_log off; server { listen 8080; root " + root
                + "; location = /ip { return 200 \"$remote_addr\\n\"; } } }\n");
        backends.put(name, lab.spawn(ns, dir.resolve(name + ".log"), List.of("nginx", "-c", conf.toString())));
        await("nginx " + name).atMost(Duration.ofSeconds(10)).until(() -> ns.exec("curl", "-s", "-m", "1",
                "http://127.0.0.1:8080/").stdout().startsWith(name));
    }

    /** Starts the daemon in lb and waits until its API answers. */
    void startDaemon() {
        daemon = lab.spawn(lb, dir.resolve("loxilb.log"), LoxilbJar.command("128m",
                "--config-path", dir.resolve("config").toString()));
        await("loxilb API").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> api("GET", "/version", null).ok());
    }

    void stopDaemon(boolean kill) {
        if (kill) {
            daemon.destroyForcibly();
            try {
                daemon.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        lab.stop(daemon, 10_000);
    }

    /** One REST call from inside lb; stdout is the body, followed by a line with the status. */
    ExecResult api(String method, String path, String body) {
        List<String> cmd = new ArrayList<>(List.of("curl", "-s", "-m", "30", "-X", method, "-w", "\n%{http_code}",
                "http://127.0.0.1:11111/netlox/v1" + path));
        if (body != null) {
            cmd.addAll(List.of("-H", "Content-Type: application/json", "--data-binary", "@-"));
        }
        return lb.exec(Duration.ofSeconds(40), body, cmd.toArray(String[]::new));
    }

    /** What the client sees when it asks the VIP: the backend's name, or "" when nothing answered. */
    String fetchVip() {
        return fetchVip(8888, "/");
    }

    String fetchVip(int port, String path) {
        ExecResult r = client.exec(Duration.ofSeconds(5), null, "curl", "-s", "-m", "1",
                "http://" + VIP + ":" + port + path);
        return r.ok() ? r.stdout().strip() : "";
    }

    String log() {
        try {
            return Files.readString(dir.resolve("loxilb.log"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        lab.close();
        Paths.deleteTree(dir);
    }
}
