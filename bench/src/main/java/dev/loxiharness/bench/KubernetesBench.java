package dev.loxiharness.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loxiharness.exec.Paths;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The seed topology's simulated Kubernetes with the real controller and loxilb: kubectl apply of a
 * LoadBalancer Service to the first 200 through its VIP, 200 Services applied to all reachable,
 * and the simulated API server's memory idle and after 10,000 requests.
 */
final class KubernetesBench extends Benchmark {
    static final int SERVICES = 200;
    static final int REQUESTS = 10_000;
    static final String STATE = "/run/loxiharness/seed";

    KubernetesBench() {
        super("kubernetes",
                "seed: kubectl apply -> first 200 through the VIP; " + SERVICES + " Services -> all reachable; API server RSS");
    }

    @Override
    void run(Env env, Report report) throws Exception {
        String topology = env.root().resolve("topology").toString();
        Procs.Timed up = Procs.run(List.of(topology, "up"), Duration.ofSeconds(180));
        if (!up.ok()) {
            report.fail("./topology up of the seed", TopologyBench.tail(up.result()));
            if (up.result().exitCode() == 3) { // up, but a check failed: it is ours to remove
                Procs.run(List.of(topology, "down", "seed"), Duration.ofSeconds(60));
            }
            return;
        }
        Path dir = Files.createTempDirectory("kube-bench");
        try {
            long agent = agentPid();
            double idleRss = rssMb(agent);

            Path one = Files.writeString(dir.resolve("one.yaml"), service("bench-apply", 9999));
            long t0 = System.nanoTime();
            Procs.run(List.of(topology, "kubectl", "apply", "-f", one.toString()), Duration.ofSeconds(60));
            Procs.Timed first = inClient(topology, "until [ \"$(curl -s -o /dev/null -m 1 -w '%{http_code}' "
                    + "http://123.123.123.15:9999/)\" = 200 ]; do sleep 0.02; done", 60);
            double applyToFirst = (System.nanoTime() - t0) / 1e9;
            report.add("kubectl apply -> first 200 through the VIP", first.ok() ? applyToFirst : Double.NaN, "s", null, null,
                    "< 2 s", first.ok() && applyToFirst < 2);

            StringBuilder many = new StringBuilder();
            for (int i = 0; i < SERVICES; i++) {
                many.append(service("bench-" + i, 10000 + i)).append("---\n");
            }
            Path all = Files.writeString(dir.resolve("many.yaml"), many.toString());
            long t1 = System.nanoTime();
            Procs.run(List.of(topology, "kubectl", "apply", "-f", all.toString()), Duration.ofSeconds(120));
            Procs.Timed reach = inClient(topology, "for p in $(seq 10000 " + (10000 + SERVICES - 1) + "); do "
                    + "until [ \"$(curl -s -o /dev/null -m 1 -w '%{http_code}' http://123.123.123.15:$p/)\" = 200 ]; "
                    + "do sleep 0.05; done; done", 300);
            double allReachable = (System.nanoTime() - t1) / 1e9;
            report.add(SERVICES + " Services applied -> all reachable through the VIP", reach.ok() ? allReachable : Double.NaN,
                    "s", null, null, null, null);

            String api = Files.readAllLines(Path.of(STATE, "kubernetes.ready")).get(0).strip();
            double loadRss = rssMb(agent);
            double seconds = hammer(api + "/api/v1/namespaces/default/services");
            double afterRss = rssMb(agent);
            report.add("simulated API server (agent JVM) RSS, idle", idleRss, "MB", null, null, null, null);
            report.add("... after " + SERVICES + " Services", loadRss, "MB", null, null, null, null);
            report.add("... after " + REQUESTS + " more requests", afterRss, "MB", idleRss, "idle", null, null);
            report.detail("requestsSeconds", seconds);
            report.note("the agent JVM holds the API server, the scheduler, kubelets, kube-proxies and calico-node (-Xmx192m)");
        } finally {
            Procs.run(List.of(topology, "down", "seed"), Duration.ofSeconds(60));
            Paths.deleteTree(dir);
        }
    }

    static String service(String name, int port) {
        return "apiVersion: v1\nkind: Service\nmetadata:\n  name: " + name + "\nspec:\n  type: LoadBalancer\n"
                + "  selector:\n    app.kubernetes.io/name: proxy\n  ports:\n  - name: web\n    protocol: TCP\n"
                + "    port: " + port + "\n    targetPort: http-web-svc\n";
    }

    static Procs.Timed inClient(String topology, String script, int seconds) {
        return Procs.run(List.of(topology, "exec", "client", "--", "timeout", String.valueOf(seconds), "bash", "-c", script),
                Duration.ofSeconds(seconds + 30));
    }

    static long agentPid() throws Exception {
        JsonNode state = new ObjectMapper().readTree(Path.of(STATE, "state.json").toFile());
        for (JsonNode p : state.path("processes")) {
            if (p.path("what").asText().startsWith("kubernetes")) {
                return p.path("pid").asLong();
            }
        }
        throw new IllegalStateException("no Kubernetes agent in " + STATE);
    }

    static double rssMb(long pid) throws Exception {
        for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (l.startsWith("VmRSS:")) {
                return Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024.0;
            }
        }
        return Double.NaN;
    }

    /** {@link #REQUESTS} GETs on loopback, 8 at a time; the seconds it took. */
    static double hammer(String url) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        long t0 = System.nanoTime();
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int w = 0; w < 8; w++) {
                fs.add(pool.submit(() -> {
                    for (int i = 0; i < REQUESTS / 8; i++) {
                        http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                                HttpResponse.BodyHandlers.discarding());
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return (System.nanoTime() - t0) / 1e9;
    }
}
