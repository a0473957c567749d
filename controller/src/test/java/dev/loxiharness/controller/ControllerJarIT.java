package dev.loxiharness.controller;

import static dev.loxiharness.controller.ControllerTestSupport.WAIT;
import static dev.loxiharness.controller.ControllerTestSupport.createNodes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.loxiharness.controller.k8s.TestObjects;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shaded jar as a process: flags, kubeconfig, a Service served, and a clean stop on SIGTERM. */
@EnableKubernetesMockClient(crud = true, https = false)
class ControllerJarIT {
    KubernetesMockServer server;
    KubernetesClient client;

    @TempDir
    Path dir;

    private FakeLoxilb loxilb;
    private Process process;
    private Path log;

    @BeforeEach
    void setUp() throws IOException {
        loxilb = new FakeLoxilb();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        loxilb.close();
        if (log != null && Files.exists(log)) {
            Files.copy(log, Paths.get("target", "ControllerJarIT-controller.log"), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Test
    void theJarServesAServiceAndStopsCleanlyOnSigterm() throws Exception {
        Path kubeconfig = dir.resolve("kubeconfig");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: mock
                  cluster:
                    server: %s
                users:
                - name: test
                  user:
                    token: test
                contexts:
                - name: mock
                  context:
                    cluster: mock
                    user: test
                current-context: mock
                """.formatted(client.getMasterUrl().toString().replaceAll("/$", "")));
        createNodes(client, 2);
        log = dir.resolve("controller.log");
        String jar = System.getProperty("controller.jar", Paths.get("target", "controller.jar").toString());
        process = new ProcessBuilder(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                // the flags the harness runs it with
                "-Xmx96m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-jar", jar, "--mode=kube-loxilb", "--kubeconfig=" + kubeconfig, "--loxiURL=" + loxilb.url(),
                "--externalCIDR=123.123.123.15/24", "--setBGP=false", "--setLBMode=0", "--resyncPeriod=5"))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();

        client.services().resource(TestObjects.lbService("default", "nginx-service", "loxilb.io/loxilb", 8888, 31655)).create();
        // a JVM of its own: allow for its start on a loaded machine
        assertThat(await().atMost(Duration.ofSeconds(60)).until(() -> ControllerTestSupport.ingressIp(client, "default", "nginx-service"),
                Objects::nonNull)).isEqualTo("123.123.123.15");
        await().atMost(WAIT).until(() -> loxilb.ruleKeys().equals(List.of("123.123.123.15:8888/tcp")));

        process.destroy();
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
        String out = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(out).contains("allocated 123.123.123.15 from pool defaultPool", "installed rule 123.123.123.15:8888/tcp",
                "signal received: shutting down", "stopping kube-loxilb controller", "[INFO] ControllerMain - stopped");
        // a clean stop: nothing logged as an error (e.g. a RejectedExecutionException from the client's
        // event loop, closed before an informer's last notification)
        assertThat(out).doesNotContain("[ERROR]", "Exception");
    }
}
