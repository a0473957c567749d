package dev.loxiharness.controller;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * An in-process loxilb for tests: loopback HTTP on a free port, the load-balancer part of the REST
 * API with loxilb's answers (200 {"result":"Success"}, 409 lbrule-exists error, 404 no-rule error),
 * and a record of every request. {@link #restart()} loses every rule, as a loxilb without saved
 * configuration does.
 */
public final class FakeLoxilb implements AutoCloseable {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern DELETE = Pattern.compile(
            "/netlox/v1/config/loadbalancer/externalipaddress/([^/]+)/port/(\\d+)/protocol/([^/?]+)");

    /** One request as received. */
    public record Request(String method, String path, String query, String body) {
        public JsonNode json() {
            return JSON.readTree(body);
        }
    }

    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, ObjectNode> rules = new LinkedHashMap<>();
    private ExecutorService executor;
    private HttpServer server;
    private int port;
    private volatile int failPosts;
    private volatile CountDownLatch heldPosts = new CountDownLatch(0);
    private final AtomicInteger postsInFlight = new AtomicInteger();

    public FakeLoxilb() throws IOException {
        start(0);
    }

    private void start(int p) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), p), 0);
        executor = Executors.newFixedThreadPool(16);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        port = server.getAddress().getPort();
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    public List<Request> requests(String method) {
        return requests.stream().filter(r -> r.method().equals(method)).toList();
    }

    /** POSTs to the load-balancer endpoint. */
    public List<Request> posts() {
        return requests("POST");
    }

    public List<Request> deletes() {
        return requests("DELETE");
    }

    public void clearRequests() {
        requests.clear();
    }

    /** The next {@code n} POSTs fail with HTTP 500. */
    public void failNextPosts(int n) {
        failPosts = n;
    }

    /** Rule keys ({@code ip:port/proto}) currently held. */
    public synchronized List<String> ruleKeys() {
        return new ArrayList<>(new TreeSet<>(rules.keySet()));
    }

    /** Endpoints ({@code ip:port*weight}) of a rule, or null. */
    public synchronized List<String> endpoints(String key) {
        ObjectNode rule = rules.get(key);
        if (rule == null) {
            return null;
        }
        List<String> eps = new ArrayList<>();
        for (JsonNode ep : rule.path("endpoints")) {
            eps.add(ep.path("endpointIP").asString() + ":" + ep.path("targetPort").asInt() + "*" + ep.path("weight").asInt());
        }
        return eps;
    }

    /** Stops answering (connections are refused). */
    public synchronized void stop() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
            server = null;
        }
    }

    /** Comes back on the same port with no rules, as a restarted loxilb without saved rules. */
    public synchronized void restart() throws IOException {
        stop();
        rules.clear();
        IOException last = null;
        for (int i = 0; i < 50; i++) {
            try {
                start(port);
                return;
            } catch (IOException e) {
                last = e;
                try {
                    Thread.sleep(50);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
        throw last;
    }

    @Override
    public void close() {
        stop();
    }

    /** Rule POSTs wait (holding their connection) until {@link #releasePosts}. */
    public void holdPosts() {
        heldPosts = new CountDownLatch(1);
    }

    public void releasePosts() {
        heldPosts.countDown();
    }

    /** Rule POSTs received and not yet answered. */
    public int postsInFlight() {
        return postsInFlight.get();
    }

    private void handle(HttpExchange ex) throws IOException {
        String method = ex.getRequestMethod();
        String path = ex.getRequestURI().getPath();
        String query = ex.getRequestURI().getRawQuery();
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        requests.add(new Request(method, path, query, body));
        if ("POST".equals(method)) {
            postsInFlight.incrementAndGet();
            try {
                heldPosts.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                postsInFlight.decrementAndGet();
            }
        }
        int status;
        String answer;
        synchronized (this) {
            if ("GET".equals(method) && path.equals("/netlox/v1/config/loadbalancer/all")) {
                ObjectNode out = JSON.createObjectNode();
                ArrayNode list = out.putArray("lbAttr");
                rules.values().forEach(list::add);
                status = 200;
                answer = JSON.writeValueAsString(out);
            } else if ("POST".equals(method) && path.equals("/netlox/v1/config/loadbalancer")) {
                if (failPosts > 0) {
                    failPosts--;
                    status = 500;
                    answer = error(500, "Internal error", "injected failure");
                } else {
                    status = 200;
                    answer = "{\"result\":\"Success\"}";
                    JsonNode rule = JSON.readTree(body);
                    JsonNode args = rule.path("serviceArguments");
                    String key = args.path("externalIP").asString() + ":" + args.path("port").asInt() + "/" + args.path("protocol").asString();
                    ObjectNode stored = JSON.createObjectNode();
                    ObjectNode sa = stored.putObject("serviceArguments");
                    sa.put("externalIP", args.path("externalIP").asString());
                    sa.put("port", args.path("port").asInt());
                    sa.put("protocol", args.path("protocol").asString());
                    sa.put("name", args.path("name").asString(""));
                    sa.put("bgp", args.path("BGP").asBoolean(false));
                    sa.put("mode", args.path("mode").asInt(0));
                    if (args.path("managed").asBoolean(false)) {
                        sa.put("managed", true);
                    }
                    stored.set("endpoints", rule.path("endpoints"));
                    ObjectNode old = rules.get(key);
                    if (old != null && old.path("endpoints").equals(stored.path("endpoints"))
                            && old.path("serviceArguments").path("mode").equals(sa.path("mode"))) {
                        status = 409;
                        answer = error(409, "Resource conflict: Resource already exists OR dependency not found", "lbrule-exists error");
                    } else {
                        if (old != null) {
                            // loxilb keeps name and bgp of a rule it updates in place
                            sa.put("name", old.path("serviceArguments").path("name").asString(""));
                            sa.put("bgp", old.path("serviceArguments").path("bgp").asBoolean(false));
                        }
                        rules.put(key, stored);
                    }
                }
            } else if ("DELETE".equals(method) && DELETE.matcher(path).matches()) {
                Matcher m = DELETE.matcher(path);
                m.matches();
                String key = m.group(1) + ":" + m.group(2) + "/" + m.group(3);
                if (rules.remove(key) != null) {
                    status = 200;
                    answer = "{\"result\":\"Success\"}";
                } else {
                    status = 404;
                    answer = error(404, "Resource not found", "no-rule error");
                }
            } else {
                status = 404;
                answer = "{\"code\":404,\"message\":\"path " + path + " was not found\"}";
            }
        }
        byte[] bytes = (answer + "\n").getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(bytes);
        }
    }

    private static String error(int code, String message, String result) {
        return "{\"code\":" + code + ",\"fields\":null,\"message\":\"" + message + "\",\"result\":\"" + result + "\"}";
    }
}
