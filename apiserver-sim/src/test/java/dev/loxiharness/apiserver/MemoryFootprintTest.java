package dev.loxiharness.apiserver;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server in its own JVM, sized as a topology runs it ({@code -Xmx96m -XX:+UseSerialGC}, or the
 * flags in SIM_JVM_FLAGS):
 * idle RSS, then 10,000 requests of the kinds a topology makes, then RSS and the heap retained
 * after a full GC, which must not grow with the number of requests served.
 */
class MemoryFootprintTest {
    private static final int REQUESTS = 10_000;

    @Test
    void memoryStaysBoundedOver10000Requests() throws Exception {
        String jvmFlags = System.getenv().getOrDefault("SIM_JVM_FLAGS", "-Xmx96m -XX:+UseSerialGC");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(List.of(jvmFlags.trim().split("\\s+")));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), SimulatedApiServerMain.class.getName(),
                "--port", "0"));
        Process server = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String url = awaitUrl(server);
            // HTTP/1.1, as kubectl speaks to a plain-HTTP server. The JDK client's default asks each new
            // connection for an h2c upgrade first; with it, one build in about 15 here lost a request
            // under load ("connection closed locally", not reproduced since: the cause is not proven)
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            send(http, url, "POST", "/api/v1/namespaces/default/configmaps",
                    "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"counter\"},\"data\":{\"n\":\"0\"}}");
            Thread.sleep(500);
            long idleRss = rssKb(server.pid());
            load(http, url, 500);
            long heapWarm = retainedHeapKb(server.pid());
            long start = System.nanoTime();
            load(http, url, REQUESTS);
            long millis = (System.nanoTime() - start) / 1_000_000;
            long heapAfter = retainedHeapKb(server.pid());
            long rssAfter = rssKb(server.pid());
            System.out.printf("kubernetes (simulated) memory with %s: idle RSS %d MB; after %d more requests (%d ms, "
                    + "4 clients) RSS %d MB; heap retained after full GC %s -> %s%n", jvmFlags, idleRss / 1024, REQUESTS,
                    millis, rssAfter / 1024, heapWarm < 0 ? "n/a (no jcmd)" : heapWarm / 1024 + " MB",
                    heapAfter < 0 ? "n/a" : heapAfter / 1024 + " MB");
            if (heapWarm >= 0 && heapAfter >= 0) {
                assertThat(heapAfter).as("retained heap (kB) after 10,000 more requests").isLessThan(heapWarm + 8 * 1024);
            }
            assertThat(server.isAlive()).isTrue();
        } finally {
            server.destroy();
            if (!server.waitFor(10, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }

    private static String awaitUrl(Process server) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        Pattern started = Pattern.compile("kubernetes: simulated API server \\(netns backend\\) on (http://\\S+?),");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (String line = out.readLine(); line != null && System.nanoTime() < deadline; line = out.readLine()) {
            Matcher m = started.matcher(line);
            if (m.find()) {
                Thread drain = new Thread(() -> {
                    try {
                        out.lines().forEach(l -> { });
                    } catch (UncheckedIOException closed) {
                        // the server ended
                    }
                }, "drain server output");
                drain.setDaemon(true);
                drain.start();
                return m.group(1);
            }
        }
        throw new AssertionError("the server did not print its URL");
    }

    /** Lists, gets, Tables, discovery and updates (each bumps the resourceVersion), from 4 clients. */
    private static void load(HttpClient http, String url, int requests) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                int client = c;
                done.add(clients.submit(() -> {
                    for (int i = client; i < requests; i += 4) {
                        switch (i % 5) {
                            case 0 -> send(http, url, "GET", "/api/v1/namespaces/default/services", null);
                            case 1 -> send(http, url, "GET", "/api/v1/namespaces/default/services/kubernetes", null);
                            case 2 -> send(http, url, "GET", "/apis", null);
                            case 3 -> send(http, url, "PATCH", "/api/v1/namespaces/default/configmaps/counter",
                                    "{\"data\":{\"n\":\"" + i + "\"}}");
                            default -> send(http, url, "GET", "/api/v1/namespaces/default/configmaps/counter", null);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(5, TimeUnit.MINUTES);
            }
        } finally {
            clients.shutdownNow();
        }
    }

    private static void send(HttpClient http, String url, String method, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + path)).header("Accept",
                "application/json;as=Table;v=v1;g=meta.k8s.io,application/json");
        if (body != null) {
            request.header("Content-Type", method.equals("PATCH") ? "application/merge-patch+json" : "application/json");
        }
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as("%s %s: %s", method, path, response.body()).isLessThan(300);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static long rssKb(long pid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return -1;
    }

    /** Heap in use right after a full GC, read with jcmd; -1 where jcmd is missing. */
    private static long retainedHeapKb(long pid) throws Exception {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        if (!Files.isExecutable(jcmd)) {
            return -1;
        }
        run(jcmd.toString(), String.valueOf(pid), "GC.run");
        Matcher used = Pattern.compile("used (\\d+)K").matcher(run(jcmd.toString(), String.valueOf(pid), "GC.heap_info"));
        long total = 0;
        boolean any = false;
        while (used.find()) { // serial GC reports the whole heap first, then each generation
            total = Math.max(total, Long.parseLong(used.group(1)));
            any = true;
        }
        return any ? total : -1;
    }

    private static String run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(30, TimeUnit.SECONDS);
        return out;
    }
}
