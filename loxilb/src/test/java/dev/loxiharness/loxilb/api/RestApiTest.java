package dev.loxiharness.loxilb.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loxiharness.loxilb.dataplane.Dataplane;
import dev.loxiharness.loxilb.lb.LoadBalancer;
import dev.loxiharness.loxilb.rules.Change;
import dev.loxiharness.loxilb.rules.ServicePlan;
import dev.loxiharness.loxilb.store.RuleStore;
import dev.loxiharness.loxilb.wire.RuleMapper;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The REST layer on loopback over an in-memory data plane: status codes, bodies, bad input. */
class RestApiTest {
    static final String RULE = """
            {"serviceArguments":{"externalIP":"123.123.123.15","port":8888,"protocol":"tcp"},
             "endpoints":[{"endpointIP":"192.168.57.101","targetPort":31655,"weight":1},
                          {"endpointIP":"192.168.57.102","targetPort":31655,"weight":1}]}""";

    /** Records what it is asked to apply; can be told to refuse. */
    static final class RecordingDataplane implements Dataplane {
        final List<Change> applied = new CopyOnWriteArrayList<>();
        volatile boolean refuse;

        @Override
        public void reset(List<ServicePlan> services) {
        }

        @Override
        public void apply(List<Change> changes) {
            if (refuse) {
                throw new IllegalStateException("nft: refused");
            }
            applied.addAll(changes);
        }

        @Override
        public void close() {
        }
    }

    @TempDir
    Path dir;
    RecordingDataplane dataplane = new RecordingDataplane();
    LoadBalancer lb;
    Javalin app;
    HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() {
        lb = new LoadBalancer(dataplane, new RuleStore(dir));
        lb.restore();
        app = new RestApi(lb, "test", null).create().start("127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        app.stop();
        lb.close();
    }

    HttpResponse<String> call(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/netlox/v1" + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    String onDisk() throws java.io.IOException {
        StringBuilder all = new StringBuilder();
        for (String f : List.of(RuleStore.FILE, RuleStore.JOURNAL)) {
            if (java.nio.file.Files.exists(dir.resolve(f))) {
                all.append(java.nio.file.Files.readString(dir.resolve(f)));
            }
        }
        return all.toString();
    }

    @Test
    void createListDeleteWithUpstreamBodies() throws Exception {
        HttpResponse<String> created = call("POST", "/config/loadbalancer", RULE);
        assertThat(created.statusCode()).isEqualTo(200);
        assertThat(created.body()).isEqualTo("{\"result\":\"Success\"}");
        assertThat(call("GET", "/config/loadbalancer/all", null).body())
                .startsWith("{\"lbAttr\":[{\"allowedSources\":null,\"endpoints\":[{\"counter\":\"0:0\"");
        assertThat(onDisk()).as("the rule is durable: in lbconfig.txt or its journal").contains("123.123.123.15");
        HttpResponse<String> deleted = call("DELETE",
                "/config/loadbalancer/externalipaddress/123.123.123.15/port/8888/protocol/tcp?bgp=true&block=0", RULE);
        assertThat(deleted.statusCode()).isEqualTo(200);
        assertThat(call("GET", "/config/loadbalancer/all", null).body()).isEqualTo("{\"lbAttr\":[]}");
    }

    @Test
    void unknownPathIs404AndWrongMethodIs405BothJson() throws Exception {
        HttpResponse<String> missing = call("GET", "/config/nothing", null);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).isEqualTo("{\"code\":404,\"message\":\"path /netlox/v1/config/nothing was not found\"}");
        HttpResponse<String> wrong = call("PUT", "/config/loadbalancer/all", null);
        assertThat(wrong.statusCode()).isEqualTo(405);
        assertThat(wrong.headers().firstValue("Allow")).hasValue("DELETE,GET");
        assertThat(wrong.body()).startsWith("{\"code\":405,");
    }

    @Test
    void badInputIsA4xxAndLeavesRulesAlone() throws Exception {
        call("POST", "/config/loadbalancer", RULE);
        int appliedBefore = dataplane.applied.size();
        assertThat(call("POST", "/config/loadbalancer", "{\"serviceArguments\":").statusCode()).isEqualTo(400);
        assertThat(call("POST", "/config/loadbalancer", "[1,2]").statusCode()).isBetween(400, 422);
        assertThat(call("POST", "/config/loadbalancer", RULE.replace("8888", "true")).statusCode()).isEqualTo(422);
        assertThat(call("POST", "/config/loadbalancer", RULE.replace("\"tcp\"", "\"igmp\"")).statusCode()).isEqualTo(422);
        assertThat(call("POST", "/config/loadbalancer", "").statusCode()).isEqualTo(422);
        HttpResponse<String> huge = call("POST", "/config/loadbalancer", "{\"x\":\"" + "a".repeat(10_000_000) + "\"}");
        assertThat(huge.statusCode()).isEqualTo(413);
        assertThat(huge.body()).startsWith("{\"code\":413,");
        assertThat(call("DELETE", "/config/loadbalancer/externalipaddress/1.2.3/port/80/protocol/tcp", null).body())
                .contains("malformed-service error");
        assertThat(call("DELETE", "/config/loadbalancer/externalipaddress/1.2.3.4/port/x/protocol/tcp", null).statusCode())
                .isEqualTo(400);
        assertThat(dataplane.applied).hasSize(appliedBefore);
        assertThat(lb.rules()).hasSize(1);
    }

    /** A raw exchange, for requests that java.net.http refuses to send. */
    String raw(String request) throws Exception {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", app.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            return new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void aBrokenChunkedBodyIsTheClientsError() throws Exception {
        String answer = raw("POST /netlox/v1/config/loadbalancer HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                + "Connection: close\r\n\r\nzz\r\n{}\r\n0\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 400 ").contains("{\"code\":400,");
        assertThat(lb.rules()).isEmpty();
    }

    @Test
    void aBroadcastVipIsA400WithUpstreamsBody() throws Exception {
        HttpResponse<String> r = call("POST", "/config/loadbalancer", RULE.replace("123.123.123.15", "255.255.255.255"));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).isEqualTo("{\"code\":400,\"fields\":null,\"message\":\"Malformed arguments for API call\","
                + "\"result\":\"malformed-service error\"}");
        assertThat(lb.rules()).isEmpty();
        assertThat(dataplane.applied).isEmpty();
    }

    @Test
    void concurrentPostsOfTheSameRuleCreateItOnce() throws Exception {
        List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port()
                    + "/netlox/v1/config/loadbalancer")).POST(HttpRequest.BodyPublishers.ofString(RULE)).build();
            all.add(http.sendAsync(req, HttpResponse.BodyHandlers.ofString()));
        }
        List<Integer> codes = all.stream().map(f -> f.join().statusCode()).sorted().toList();
        assertThat(codes).containsOnly(200, 409).filteredOn(c -> c == 200).hasSize(1);
        assertThat(dataplane.applied).hasSize(1);
    }

    @Test
    void refusedDataplaneChangeIs503AndRevertsTheTable() throws Exception {
        dataplane.refuse = true;
        HttpResponse<String> r = call("POST", "/config/loadbalancer", RULE);
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.body()).contains("dataplane not-ready error");
        assertThat(lb.rules()).isEmpty();
        dataplane.refuse = false;
        assertThat(call("POST", "/config/loadbalancer", RULE).statusCode()).isEqualTo(200);
    }

    @Test
    void restartRestoresFromDisk() throws Exception {
        call("POST", "/config/loadbalancer", RULE);
        stop();
        start();
        assertThat(lb.rules()).hasSize(1);
    }

    @Test
    void anAnsweredChangeIsOnDiskWhileTheDaemonRuns() throws Exception {
        assertThat(call("POST", "/config/loadbalancer", RULE).statusCode()).isEqualTo(200);
        // what a restart after a crash would read now (the journal, until the file is rewritten when idle)
        assertThat(new RuleStore(dir).load(e -> RuleMapper.toRule(e).key()))
                .extracting(e -> e.serviceArguments.externalIP).containsExactly("123.123.123.15");
        assertThat(call("DELETE", "/config/loadbalancer/externalipaddress/123.123.123.15/port/8888/protocol/tcp",
                null).statusCode()).isEqualTo(200);
        assertThat(new RuleStore(dir).load(e -> RuleMapper.toRule(e).key())).isEmpty();
    }

    @Test
    void fixedAnswersMatchUpstream() throws Exception {
        assertThat(call("GET", "/config/cistate/all", null).body())
                .isEqualTo("{\"Attr\":[{\"instance\":\"llb-inst0\",\"state\":\"NOT_DEFINED\",\"sync\":null,\"vip\":\"0.0.0.0\"}]}");
        assertThat(call("GET", "/version", null).body()).contains("\"version\":\"test\"");
        HttpResponse<String> bgp = call("GET", "/config/bgp/neigh/all", null);
        assertThat(bgp.statusCode()).isEqualTo(403);
        assertThat(bgp.body()).contains("loxilb BGP mode is disabled");
    }

    @Test
    void cistateSetsAnInstancesHaStateAndRefusesAnUnknownOne() throws Exception {
        assertThat(call("POST", "/config/cistate", "{\"instance\":\"llb-inst0\",\"state\":\"MASTER\",\"vip\":\"0.0.0.0\"}")
                .statusCode()).isEqualTo(200);
        assertThat(call("GET", "/config/cistate/all", null).body())
                .isEqualTo("{\"Attr\":[{\"instance\":\"llb-inst0\",\"state\":\"MASTER\",\"sync\":null,\"vip\":\"0.0.0.0\"}]}");
        HttpResponse<String> bad = call("POST", "/config/cistate", "{\"instance\":\"llb-inst0\",\"state\":\"PRIMARY\"}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("invalid cluster-state");
        assertThat(call("GET", "/config/cistate/all", null).body()).contains("\"state\":\"MASTER\"");
        call("POST", "/config/cistate", "{\"state\":\"NOT_DEFINED\"}");
    }
}
