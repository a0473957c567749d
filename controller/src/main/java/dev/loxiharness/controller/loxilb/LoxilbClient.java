package dev.loxiharness.controller.loxilb;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The part of loxilb's REST API that kube-loxilb uses for Services, with kube-loxilb's reading of
 * the answers: any answer other than 200 is an error carrying the body's {@code result} (or the
 * status text); a 200 must carry {@code {"result":"Success"}} (older loxilbs answer errors with 200
 * and the error string). A create that fails because the rule exists counts as done, as in
 * kube-loxilb; so does a delete of a rule that is not there.
 */
public final class LoxilbClient {
    static final String LB_PATH = "/netlox/v1/config/loadbalancer";
    static final String LB_ALL_PATH = LB_PATH + "/all";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String baseUrl;
    private final HttpClient http;
    private final Duration timeout;

    /** A rule as loxilb lists it: its key, name, flags and endpoints ({@code ip:port}). */
    public record RemoteRule(RuleKey key, String name, boolean bgp, boolean managed, Set<String> endpoints) {
    }

    public LoxilbClient(String url, Duration timeout) {
        this.baseUrl = normalize(url);
        this.timeout = timeout;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .build();
    }

    /** {@code http://host:port} without a trailing slash; a bare {@code host:port} gets {@code http://}. */
    public static String normalize(String url) {
        String u = url.trim();
        if (!u.contains("://")) {
            u = "http://" + u;
        }
        while (u.endsWith("/")) {
            u = u.substring(0, u.length() - 1);
        }
        URI.create(u);
        return u;
    }

    public String url() {
        return baseUrl;
    }

    public static String toJson(Object body) {
        return JSON.writeValueAsString(body);
    }

    /** POST the rule; "exists" answers are success. */
    public void create(LbRule rule) throws LoxilbException {
        HttpRequest request = request(LB_PATH)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(toJson(rule)))
                .build();
        try {
            checkResult(send(request));
        } catch (LoxilbException e) {
            if (!e.unreachable() && e.getMessage().toLowerCase(Locale.ROOT).contains("exist")) {
                return;
            }
            throw e;
        }
    }

    /** DELETE the rule with kube-loxilb's path and query; a rule that is not there is success. */
    public void delete(RuleKey key, boolean bgp) throws LoxilbException {
        HttpRequest request = request(key.deletePath(bgp)).DELETE().build();
        try {
            checkResult(send(request));
        } catch (LoxilbException e) {
            String msg = e.getMessage().toLowerCase(Locale.ROOT);
            if (!e.unreachable() && (e.status() == 404 || msg.contains("no-rule") || msg.contains("not-exist")
                    || msg.contains("not exist") || msg.contains("not found"))) {
                return;
            }
            throw e;
        }
    }

    /** GET {@code /config/loadbalancer/all}: every rule loxilb has. Also serves as liveness probe. */
    public List<RemoteRule> list() throws LoxilbException {
        HttpResponse<String> response = send(request(LB_ALL_PATH).GET().build());
        if (response.statusCode() != 200) {
            throw new LoxilbException("GET " + LB_ALL_PATH + ": HTTP " + response.statusCode() + " " + resultOf(response), response.statusCode());
        }
        JsonNode root;
        try {
            root = JSON.readTree(response.body());
        } catch (JacksonException e) {
            throw new LoxilbException("GET " + LB_ALL_PATH + ": unreadable answer: " + e.getOriginalMessage(), 200);
        }
        List<RemoteRule> rules = new ArrayList<>();
        JsonNode list = field(root, "lbAttr");
        if (list == null || !list.isArray()) {
            return rules;
        }
        for (JsonNode entry : list) {
            JsonNode args = field(entry, "serviceArguments");
            if (args == null) {
                continue;
            }
            String ip = text(field(args, "externalIP"));
            int port = number(field(args, "port"));
            String proto = text(field(args, "protocol")).toLowerCase(Locale.ROOT);
            Set<String> eps = new TreeSet<>();
            JsonNode endpoints = field(entry, "endpoints");
            if (endpoints != null && endpoints.isArray()) {
                for (JsonNode ep : endpoints) {
                    eps.add(text(field(ep, "endpointIP")) + ":" + number(field(ep, "targetPort")));
                }
            }
            rules.add(new RemoteRule(new RuleKey(ip, port, proto), text(field(args, "name")),
                    flag(field(args, "bgp")), flag(field(args, "managed")), eps));
        }
        return rules;
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(timeout);
    }

    private HttpResponse<String> send(HttpRequest request) throws LoxilbException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new LoxilbException(request.method() + " " + request.uri() + ": " + describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LoxilbException(request.method() + " " + request.uri() + ": interrupted", e);
        }
    }

    private static void checkResult(HttpResponse<String> response) throws LoxilbException {
        String result = resultOf(response);
        String what = response.request().method() + " " + response.request().uri().getPath();
        if (response.statusCode() != 200) {
            throw new LoxilbException(what + ": HTTP " + response.statusCode() + ": " + result, response.statusCode());
        }
        if (!"Success".equals(result)) {
            throw new LoxilbException(what + ": " + (result.isEmpty() ? "no result in answer" : result), 200);
        }
    }

    /** The body's {@code result} (case-insensitive key), else its {@code message}, else the status text. */
    private static String resultOf(HttpResponse<String> response) {
        try {
            JsonNode body = JSON.readTree(response.body());
            String result = text(field(body, "result"));
            if (result.isEmpty()) {
                result = text(field(body, "message"));
            }
            if (!result.isEmpty()) {
                return result;
            }
        } catch (JacksonException | IllegalArgumentException e) {
            // not JSON: fall through to the status text
        }
        return response.statusCode() == 200 ? "" : statusText(response.statusCode());
    }

    private static String statusText(int code) {
        return switch (code) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 409 -> "Conflict";
            case 422 -> "Unprocessable Entity";
            case 500 -> "Internal Server Error";
            case 503 -> "Service Unavailable";
            default -> "HTTP " + code;
        };
    }

    private static String describe(IOException e) {
        String msg = e.getMessage();
        String kind = e.getClass().getSimpleName();
        return msg == null || msg.isBlank() ? kind : kind + ": " + msg;
    }

    /** loxilb (Go) matches JSON keys case-insensitively; so do we when reading its answers. */
    static JsonNode field(JsonNode node, String name) {
        if (node == null || !node.isObject()) {
            return null;
        }
        JsonNode exact = node.get(name);
        if (exact != null) {
            return exact;
        }
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() ? "" : node.asString("");
    }

    private static boolean flag(JsonNode node) {
        return node != null && !node.isNull() && node.asBoolean(false);
    }

    private static int number(JsonNode node) {
        return node == null || node.isNull() ? 0 : node.asInt(0);
    }
}
