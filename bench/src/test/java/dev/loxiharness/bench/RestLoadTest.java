package dev.loxiharness.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.loxiharness.console.Progress;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The REST load client as {@code bench/run} runs it (its own JVM), against a stand-in API on
 * loopback that accepts every rule: the progress it tells reaches the plain lines, a tenth at a time.
 */
class RestLoadTest {
    HttpServer api;
    final AtomicInteger posted = new AtomicInteger();

    @BeforeEach
    void standInApi() throws IOException {
        api = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        api.createContext("/netlox/v1/version", x -> answer(x, "{\"version\":\"test\"}"));
        api.createContext("/netlox/v1/config/loadbalancer", x -> {
            x.getRequestBody().readAllBytes();
            posted.incrementAndGet();
            answer(x, "{}");
        });
        api.setExecutor(Executors.newFixedThreadPool(4));
        api.start();
    }

    @AfterEach
    void stop() {
        api.stop(0);
    }

    static void answer(HttpExchange x, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        x.sendResponseHeaders(200, b.length);
        x.getResponseBody().write(b);
        x.close();
    }

    @Test
    void aLoadTellsItsProgressInTenthsAndItsReportStaysOnStdout() {
        String url = "http://127.0.0.1:" + api.getAddress().getPort() + "/netlox/v1";
        List<String> argv = List.of(ProcessHandle.current().info().command().orElse("java"), "-cp",
                System.getProperty("java.class.path"), RestLoad.class.getName(), url, "0", "500", "8", "60");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        Procs.Timed t = RestLoad.run(argv, 500, Duration.ofSeconds(90), Progress.plain(new PrintStream(bytes, true, StandardCharsets.UTF_8)));

        assertThat(t.ok()).as("%s", t.result()).isTrue();
        assertThat(posted.get()).isEqualTo(500);
        assertThat(t.result().stdout().strip()).startsWith("{\"count\":500,\"answered\":500,\"ok\":500,");
        assertThat(RestLoad.complaints(t)).isEmpty();
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(10);
        for (int tenth = 1; tenth <= 9; tenth++) {
            assertThat(lines.get(tenth - 1)).matches(" +\\d+\\.\\d\\ds  500 rules over REST: " + tenth * 10 + " % \\(\\d+ of 500\\)");
        }
        assertThat(lines.get(9)).matches(" +\\d+\\.\\d\\ds  500 rules over REST: \\d+\\.\\d s");
    }
}
