package dev.loxiharness.loxilb.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.loxiharness.loxilb.lb.LoadBalancer;
import dev.loxiharness.loxilb.probe.EndpointProber;
import dev.loxiharness.loxilb.probe.ProbeTarget;
import dev.loxiharness.loxilb.rules.Protocol;
import dev.loxiharness.loxilb.rules.RuleError;
import dev.loxiharness.loxilb.rules.RuleException;
import dev.loxiharness.loxilb.rules.RuleKey;
import dev.loxiharness.loxilb.wire.HostProbeEntry;
import dev.loxiharness.loxilb.wire.Ipv4;
import dev.loxiharness.loxilb.wire.Json;
import dev.loxiharness.loxilb.wire.LoadbalanceEntry;
import dev.loxiharness.loxilb.wire.RuleMapper;
import dev.loxiharness.loxilb.wire.SchemaException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upstream loxilb's REST API ({@code api/swagger.yml}, base path {@code /netlox/v1}). Handlers are
 * thin: they decode the wire model, call the {@link LoadBalancer} and map errors as upstream does.
 */
public final class RestApi {
    public static final String BASE = "/netlox/v1";
    /** Bodies above this are refused (413) before they are read. */
    public static final long MAX_BODY_BYTES = 1_000_000;
    private static final Logger LOG = LoggerFactory.getLogger(RestApi.class);
    private static final String ANSWERED = "loxilb.answered";
    private static final Set<String> HOST_PROBE_TYPES = Set.of("tcp", "udp", "sctp", "ping", "http", "https", "none");

    private final LoadBalancer lb;
    private final String version;
    private final BgpApi bgp;
    private final List<Route> routes = new ArrayList<>();
    private TokenAuth auth;

    private record Route(HandlerType method, Pattern path) {
    }

    /** Upstream's CIStatusGetEntry: {@code sync} has no omitempty and is never set, so it prints null. */
    @JsonPropertyOrder({"instance", "state", "sync", "vip"})
    record CiStatus(String instance, String state,
                    @JsonInclude(JsonInclude.Include.ALWAYS) Long sync,
                    String vip) {
    }

    /** Upstream's CIStatusEntry: the body of {@code POST /config/cistate}. */
    record CiStateEntry(String instance, String state, String vip) {
    }

    /** The BGP part of the API; {@code null} when the daemon runs without {@code -b}. */
    public interface BgpApi {
        void register(RestApi api, Javalin app);
    }

    public RestApi(LoadBalancer lb, String version, BgpApi bgp) {
        this.lb = lb;
        this.version = version;
        this.bgp = bgp;
    }

    /** Requires upstream's token on every call (see {@link TokenAuth}); off unless called. */
    public RestApi withAuth(TokenAuth auth) {
        this.auth = auth;
        return this;
    }

    public Javalin create() {
        Javalin app = Javalin.create(cfg -> {
            cfg.showJavalinBanner = false;
            cfg.http.maxRequestSize = MAX_BODY_BYTES;
            cfg.jsonMapper(new JavalinJackson(Json.MAPPER, false));
            cfg.router.ignoreTrailingSlashes = true;
        });
        if (auth != null) {
            auth.register(this, app);
        }
        route(app, HandlerType.POST, "/config/loadbalancer", this::postRule);
        route(app, HandlerType.GET, "/config/loadbalancer/all", this::getRules);
        route(app, HandlerType.DELETE, "/config/loadbalancer/all", ctx -> {
            lb.deleteAll();
            success(ctx);
        });
        route(app, HandlerType.DELETE, "/config/loadbalancer/name/{name}", ctx -> {
            lb.deleteByName(ctx.pathParam("name"));
            success(ctx);
        });
        String byKey = "/externalipaddress/{ip}/port/{port}";
        for (String host : List.of("", "/hosturl/{hosturl}")) {
            route(app, HandlerType.DELETE, "/config/loadbalancer" + host + byKey + "/protocol/{proto}", this::deleteRule);
            route(app, HandlerType.DELETE, "/config/loadbalancer" + host + byKey + "/portmax/{portmax}/protocol/{proto}",
                    this::deleteRule);
        }
        route(app, HandlerType.GET, "/config/endpoint/all", this::getHostProbes);
        route(app, HandlerType.POST, "/config/endpoint", this::postHostProbe);
        route(app, HandlerType.DELETE, "/config/endpoint/epipaddress/{ip}", ctx -> {
            if (!lb.removeHostProbe(ctx.pathParam("ip"), ctx.queryParam("name"))) {
                throw new RuleException(RuleError.HOST_NOT_FOUND, "no host probe for " + ctx.pathParam("ip"));
            }
            success(ctx);
        });
        route(app, HandlerType.GET, "/config/cistate/all", ctx -> ctx.json(Map.of("Attr", lb.clusters().all().stream()
                .map(i -> new CiStatus(i.name(), i.state().name(), null, i.vip())).toList())));
        route(app, HandlerType.POST, "/config/cistate", ctx -> {
            CiStateEntry e = body(ctx, CiStateEntry.class);
            if (e == null || e.state() == null) {
                throw new SchemaException(SchemaException.REQUIRED, "state in body is required");
            }
            if (e.vip() != null && !e.vip().isBlank() && !Ipv4.isAddress(e.vip())) {
                throw new RuleException(RuleError.CI_STATE, "vip " + e.vip());
            }
            lb.clusters().set(e.instance(), e.state(), e.vip());
            success(ctx);
        });
        route(app, HandlerType.GET, "/version", ctx -> ctx.json(
                orderedMap("buildInfo", "java-loxilb (nftables data plane)", "version", version)));
        route(app, HandlerType.GET, "/status/process", ctx -> ctx.json(Map.of("processAttr", List.of(processInfo()))));
        if (bgp != null) {
            bgp.register(this, app);
        } else {
            Handler disabled = ctx -> {
                throw new RuleException(RuleError.BGP_DISABLED, "start loxilb with -b");
            };
            route(app, HandlerType.GET, "/config/bgp/neigh/all", disabled);
            route(app, HandlerType.POST, "/config/bgp/neigh", disabled);
            route(app, HandlerType.DELETE, "/config/bgp/neigh/{ip}", disabled);
            route(app, HandlerType.POST, "/config/bgp/global", disabled);
        }

        app.exception(RuleException.class, (e, ctx) -> {
            ApiError err = ApiError.of(e.result());
            ctx.attribute(ANSWERED, true);
            LOG.info("{} {} -> {} {}", ctx.method(), ctx.path(), err.code(), e.getMessage());
            ctx.status(err.code()).json(err);
        });
        app.exception(TokenAuth.Refused.class, (e, ctx) -> {
            ctx.attribute(ANSWERED, true);
            LOG.info("{} {} -> {} {}", ctx.method(), ctx.path(), e.status, e.getMessage());
            schemaError(ctx, e.status, e.status, e.getMessage());
        });
        app.exception(SchemaException.class, (e, ctx) -> {
            ctx.attribute(ANSWERED, true);
            schemaError(ctx, e.httpStatus(), e.code(), e.getMessage());
        });
        app.exception(HttpResponseException.class, (e, ctx) ->
                schemaError(ctx, e.getStatus(), e.getStatus(), e.getMessage()));
        app.exception(Exception.class, (e, ctx) -> {
            LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
            ctx.status(500).json(ApiError.of(String.valueOf(e.getMessage())));
        });
        app.error(404, ctx -> {
            if (ctx.attribute(ANSWERED) != null) {
                return; // a handler already answered 404 with upstream's body
            }
            Set<String> allowed = allowedMethods(ctx.path());
            if (!allowed.isEmpty()) {
                ctx.status(405).header("Allow", String.join(",", allowed));
                schemaError(ctx, 405, 405, "method " + ctx.method() + " is not allowed, but [" + String.join(",", allowed) + "] are");
            } else {
                schemaError(ctx, 404, 404, "path " + ctx.path() + " was not found");
            }
        });
        app.error(413, ctx -> schemaError(ctx, 413, 413, "request body larger than " + MAX_BODY_BYTES + " bytes"));
        return app;
    }

    /** Registers a handler under the API's base path (also used by the BGP part). */
    public void route(Javalin app, HandlerType method, String path, Handler handler) {
        app.addHttpHandler(method, BASE + path, handler);
        routes.add(new Route(method, Pattern.compile(Pattern.quote(BASE) + path
                .replaceAll("\\{[^/]+}", "\\\\E[^/]+\\\\Q").transform(p -> "\\Q" + p + "\\E") + "/?")));
    }

    private Set<String> allowedMethods(String path) {
        Set<String> out = new TreeSet<>();
        for (Route r : routes) {
            if (r.path().matcher(path).matches()) {
                out.add(r.method().name());
            }
        }
        return out;
    }

    private void postRule(Context ctx) {
        LoadbalanceEntry e = body(ctx, LoadbalanceEntry.class);
        lb.add(RuleMapper.toRule(e));
        success(ctx);
    }

    private void getRules(Context ctx) {
        Map<Long, Map<String, String>> counters = lb.counters();
        List<LoadbalanceEntry> all = lb.rules().stream().map(v -> RuleMapper.toWire(v.rule(), v.endpointUp(),
                counters.getOrDefault(v.id(), Map.of()))).toList();
        ctx.json(Map.of("lbAttr", all));
    }

    private void deleteRule(Context ctx) {
        String ip = ctx.pathParam("ip");
        long port = pathNumber(ctx, "port");
        long portMax = ctx.pathParamMap().containsKey("portmax") ? pathNumber(ctx, "portmax") : 0;
        String proto = ctx.pathParam("proto");
        String host = ctx.pathParamMap().getOrDefault("hosturl", "any");
        long block = queryNumber(ctx, "block");
        if (!Ipv4.isAddress(ip)) {
            throw new RuleException(RuleError.MALFORMED_SERVICE, "externalIP " + ip);
        }
        if (port < 0 || port > 65535 || portMax < 0 || portMax > 65535 || (portMax != 0 && portMax < port)) {
            throw new RuleException(RuleError.PORT_RANGE, "port " + port + "-" + portMax);
        }
        Protocol protocol = Protocol.fromWire(proto).orElseThrow(
                () -> new RuleException(RuleError.MALFORMED_PROTO, "protocol " + proto));
        RuleKey key = new RuleKey(ip, protocol, (int) port, (int) (portMax == port ? 0 : portMax), (int) block,
                host.equals("any") ? "" : host);
        lb.delete(key, "true".equalsIgnoreCase(ctx.queryParam("bgp")));
        success(ctx);
    }

    private void getHostProbes(Context ctx) {
        List<HostProbeEntry> out = new ArrayList<>();
        for (Map.Entry<ProbeTarget, EndpointProber.State> e : lb.probeStates().entrySet()) {
            ProbeTarget t = e.getKey();
            HostProbeEntry h = new HostProbeEntry();
            h.hostName = t.ip();
            h.name = t.hostKey();
            h.probeType = t.type();
            h.probePort = (long) t.port();
            h.probeDuration = (long) t.intervalSeconds();
            h.inactiveReTries = (long) t.retries();
            h.probeReq = t.request();
            h.probeResp = t.response();
            h.currState = e.getValue().up() ? "ok" : "nok";
            out.add(h);
        }
        ctx.json(Map.of("Attr", out));
    }

    private void postHostProbe(Context ctx) {
        HostProbeEntry h = body(ctx, HostProbeEntry.class);
        if (h == null || h.hostName == null) {
            throw new SchemaException(SchemaException.REQUIRED, "hostName in body is required");
        }
        String host = h.hostName.contains("/") ? h.hostName.substring(0, h.hostName.indexOf('/')) : h.hostName;
        if (!Ipv4.isAddress(host)) {
            throw new RuleException(RuleError.HOST_PARSE, "hostName " + h.hostName);
        }
        long retries = h.inactiveReTries == null ? 0 : h.inactiveReTries;
        long duration = h.probeDuration == null ? 0 : h.probeDuration;
        if (retries < 0 || retries > 100 || duration < 0 || duration > 86400) {
            throw new RuleException(RuleError.HOST_ARGS, "inactiveReTries " + retries + " probeDuration " + duration);
        }
        String type = h.probeType == null || h.probeType.isEmpty() ? "ping" : h.probeType;
        if (!HOST_PROBE_TYPES.contains(type)) {
            throw new RuleException(RuleError.HOST_PROBE_TYPE, "probeType " + type);
        }
        long port = h.probePort == null ? 0 : h.probePort;
        if ((type.equals("tcp") || type.equals("udp") || type.equals("sctp")) && port == 0 || port < 0 || port > 65535) {
            throw new RuleException(RuleError.HOST_PROBE_PORT, "probePort " + port + " for " + type);
        }
        lb.putHostProbe(new ProbeTarget(host, (int) port, type, (int) port, str(h.probeReq), str(h.probeResp),
                (int) (duration == 0 ? 60 : duration), (int) (retries == 0 ? 2 : retries)));
        success(ctx);
    }

    /** Decodes a JSON body the way go-openapi does: unparseable is 400, a wrong type 422. */
    public static <T> T body(Context ctx, Class<T> type) {
        String raw = readBody(ctx);
        if (raw.isBlank()) {
            throw new SchemaException(SchemaException.REQUIRED, "body in body is required");
        }
        try {
            return Json.MAPPER.readValue(raw, type);
        } catch (MismatchedInputException e) {
            String field = e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName()
                    : String.valueOf(r.getIndex())).reduce((a, b) -> a + "." + b).orElse("body");
            throw new SchemaException(SchemaException.INVALID_TYPE, field + " in body has the wrong type: "
                    + e.getOriginalMessage().split("\n")[0]);
        } catch (JsonProcessingException e) {
            throw new SchemaException(SchemaException.PARSE, "parsing body from \"\" failed, because "
                    + e.getOriginalMessage().split("\n")[0]);
        }
    }

    /**
     * The body as text. A body that cannot be read (a broken chunked encoding, a connection cut
     * mid-body) is the client's fault: Jetty throws its {@code EofException} out of Javalin's
     * {@code ctx.body()} undeclared, and Javalin takes that for a client that went away and
     * answers a bare 500 without calling any exception handler.
     */
    private static String readBody(Context ctx) {
        try {
            return ctx.body();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) { // checked, thrown undeclared by Kotlin code
            throw new SchemaException(SchemaException.PARSE, "the request body could not be read: " + e.getMessage());
        }
    }

    private static long pathNumber(Context ctx, String name) {
        return number(ctx.pathParam(name), name + " in path");
    }

    private static long queryNumber(Context ctx, String name) {
        String v = ctx.queryParam(name);
        return v == null || v.isEmpty() ? 0 : number(v, name + " in query");
    }

    private static long number(String v, String where) {
        try {
            double d = Double.parseDouble(v);
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new NumberFormatException();
            }
            return (long) d;
        } catch (NumberFormatException e) {
            throw new SchemaException(SchemaException.PARSE, where + " must be of type number: \"" + v + "\"");
        }
    }

    public static void success(Context ctx) {
        ctx.status(200).json(Map.of("result", "Success"));
    }

    private static void schemaError(Context ctx, int status, int code, String message) {
        ctx.status(status).json(orderedMap("code", code, "message", message));
    }

    private Map<String, Object> processInfo() {
        ProcessHandle self = ProcessHandle.current();
        String rss = "";
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = line.substring(6).trim();
                }
            }
        } catch (IOException e) {
            // not on Linux: leave it empty
        }
        return orderedMap("command", "loxilb", "pid", String.valueOf(self.pid()),
                "residentSize", rss, "status", "R",
                "time", self.info().totalCpuDuration().map(Object::toString).orElse(""),
                "user", self.info().user().orElse(""));
    }

    private static Map<String, Object> orderedMap(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static String str(String s) {
        return s == null ? "" : s;
    }
}
