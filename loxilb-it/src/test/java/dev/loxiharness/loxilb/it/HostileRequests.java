package dev.loxiharness.loxilb.it;

import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Requests a hostile or careless client could send to the API. Values are drawn from small pools
 * on purpose: the same VIPs and ports come back, so duplicates, updates, conflicting rules and
 * deletes of existing rules happen, not only refusals of nonsense.
 */
final class HostileRequests {
    /** One request: either well-framed HTTP ({@code raw == null}) or bytes sent as they are. */
    record Request(String method, String target, String body, byte[] raw) {
        @Override
        public String toString() {
            if (raw != null) {
                return "raw " + RelayedDaemon.preview(raw);
            }
            String b = body == null ? "" : body.length() > 300 ? body.substring(0, 300) + "... (" + body.length() + " chars)" : body;
            return method + " " + (target.length() > 200 ? target.substring(0, 200) + "..." : target) + " " + b;
        }
    }

    static final String BASE = "/netlox/v1";
    static final List<String> VIPS = List.of("10.200.0.1", "10.200.0.2", "10.200.0.3", "0.0.0.0", "255.255.255.255",
            "127.0.0.1", "224.0.0.1", "1.2.3", "1.2.3.4.5", "::1", "", "10.200.0.256", " 10.200.0.1", "10.200.0.01");
    private static final List<Object> PORTS = List.of(0, 1, 80, 8080, 65535, 65536, -1, 2147483648L,
            "1e3", 1.5, "\"80\"", "null", "true", "[]", "{}", "99999999999999999999999");
    /** Protocols, udp and sctp among them (the fuzz found every udp/sctp rule on exact ports refused by nft once). */
    private static final List<Object> PROTOCOLS = List.of("\"tcp\"", "\"udp\"", "\"sctp\"", "\"icmp\"", "\"TCP\"",
            "\"\"", "null", 6, "\"tcp\\u0000\"", "[\"tcp\"]");
    private static final List<Object> SMALL = List.of(0, 1, 2, 3, 4, 5, 6, 7, -1, 255, 256, 2147483647, -2147483649L,
            "\"1\"", "null", "false", "1.0");
    private static final List<String> EP_IPS = List.of("10.0.1.2", "10.0.2.2", "10.0.3.2", "0.0.0.0", "", "host",
            "10.0.1.2/24", "300.1.1.1", "fe80::1");

    private HostileRequests() {
    }

    static Arbitrary<Request> any() {
        return Arbitraries.frequencyOf(
                Tuple.of(30, validishRule().map(b -> post("/config/loadbalancer", b))),
                Tuple.of(15, mangled(validishRule()).map(b -> post("/config/loadbalancer", b))),
                Tuple.of(6, wrongShapes().map(b -> post("/config/loadbalancer", b))),
                Tuple.of(10, deletes()),
                Tuple.of(8, oddPathsAndMethods()),
                Tuple.of(6, otherResources()),
                Tuple.of(2, oversized()),
                Tuple.of(3, rawGarbage()),
                Tuple.of(4, Arbitraries.just(new Request("GET", BASE + "/config/loadbalancer/all", null, null))));
    }

    private static Request post(String path, String body) {
        return new Request("POST", BASE + path, body, null);
    }

    private static Arbitrary<String> literal(List<?> pool) {
        return Arbitraries.of(pool).map(String::valueOf);
    }

    private static Arbitrary<String> quoted(List<String> pool) {
        return Arbitraries.of(pool).map(s -> "\"" + s + "\"");
    }

    /** Mostly valid rules with now and then a value out of range or of the wrong type. */
    static Arbitrary<String> validishRule() {
        Arbitrary<String> port = Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.of("80", "8080", "443")),
                Tuple.of(1, literal(PORTS)));
        Arbitrary<String> portMax = Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.just("")),
                Tuple.of(2, Arbitraries.of(",\"portMax\":8090", ",\"portMax\":80", ",\"portMax\":79")),
                Tuple.of(1, literal(PORTS).map(p -> ",\"portMax\":" + p)));
        Arbitrary<String> proto = Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.of("\"tcp\"", "\"udp\"", "\"sctp\"")),
                Tuple.of(1, literal(PROTOCOLS)));
        Arbitrary<String> small = Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.of("0", "1", "2", "5")),
                Tuple.of(1, literal(SMALL)));
        Arbitrary<String> extras = Arbitraries.of("", ",\"bgp\":true", ",\"block\":1", ",\"block\":-1",
                ",\"host\":\"h1\"", ",\"name\":\"" + "n".repeat(300) + "\"", ",\"inactiveTimeOut\":100000",
                ",\"BGP\":\"yes\"", ",\"Monitor\":false,\"managed\":true", ",\"unknown\":{\"deep\":[1,2,3]}",
                ",\"privateIP\":\"10.9.9.9\"", ",\"privateIP\":\"x\"", ",\"snat\":true");
        Arbitrary<String> sources = Arbitraries.of("", ",\"allowedSources\":[{\"prefix\":\"198.51.100.0/24\"}]",
                ",\"allowedSources\":[{\"prefix\":\"198.51.100.7/33\"}]", ",\"allowedSources\":[null]",
                ",\"allowedSources\":{}", ",\"secondaryIPs\":[{\"secondaryIP\":\"10.1.1.1\"}]",
                ",\"secondaryIPs\":[{},{},{},{}]");
        Arbitrary<String> service = Combinators.combine(quoted(VIPS), port, portMax, proto, small, small, extras)
                .as((vip, p, pm, pr, sel, mode, ex) -> "\"serviceArguments\":{\"externalIP\":" + vip + ",\"port\":" + p
                        + pm + ",\"protocol\":" + pr + ",\"sel\":" + sel + ",\"mode\":" + mode + ex + "}");
        Arbitrary<String> endpoint = Combinators.combine(
                Arbitraries.frequencyOf(Tuple.of(5, quoted(EP_IPS.subList(0, 3))), Tuple.of(1, quoted(EP_IPS))),
                Arbitraries.frequencyOf(Tuple.of(5, Arbitraries.of("8080", "80")), Tuple.of(1, literal(PORTS))),
                Arbitraries.frequencyOf(Tuple.of(5, Arbitraries.of("1", "2", "0")), Tuple.of(1, literal(SMALL))))
                .as((ip, tp, w) -> "{\"endpointIP\":" + ip + ",\"targetPort\":" + tp + ",\"weight\":" + w + "}");
        Arbitrary<String> endpoints = Arbitraries.frequencyOf(
                Tuple.of(10, endpoint.list().ofMinSize(1).ofMaxSize(4)),
                Tuple.of(1, endpoint.list().ofMinSize(0).ofMaxSize(40)))
                .map(l -> "\"endpoints\":[" + String.join(",", l) + "]");
        return Combinators.combine(service, endpoints, sources).as((s, e, src) -> "{" + s + "," + e + src + "}");
    }

    /** A JSON text cut, spliced or padded: not JSON any more, or JSON of another meaning. */
    private static Arbitrary<String> mangled(Arbitrary<String> json) {
        return Combinators.combine(json, Arbitraries.integers().between(0, 9), Arbitraries.doubles().between(0, 1),
                Arbitraries.strings().ofMaxLength(8)).as((j, how, where, junk) -> {
            int at = (int) (where * j.length());
            return switch (how) {
                case 0 -> j.substring(0, at);
                case 1 -> j.substring(0, at) + junk + j.substring(at);
                case 2 -> j.substring(at);
                case 3 -> j.replaceFirst("\"serviceArguments\":", "\"serviceArguments\":{\"port\":1},\"serviceArguments\":");
                case 4 -> j.replace(":", "::");
                case 5 -> "[" + j + "]";
                case 6 -> j + j;
                case 7 -> j.replace("\"", "'");
                case 8 -> "\uFEFF" + j;
                default -> j.replace("{", "{\"\\ud800\":1,");
            };
        });
    }

    /** Valid JSON of the wrong shape, deeply nested, or with absurd scalars. */
    private static Arbitrary<String> wrongShapes() {
        return Arbitraries.of("null", "[]", "{}", "1", "\"x\"", "true", "{\"serviceArguments\":null}",
                "{\"serviceArguments\":[],\"endpoints\":{}}", "{\"serviceArguments\":{},\"endpoints\":[]}",
                "{\"endpoints\":[null]}", "[".repeat(5000) + "]".repeat(5000), "{\"a\":".repeat(3000) + "1" + "}".repeat(3000),
                "{\"serviceArguments\":{\"externalIP\":\"10.200.0.1\",\"port\":1e400},\"endpoints\":[]}",
                "{\"serviceArguments\":{\"externalIP\":\"10.200.0.1\",\"port\":80,\"protocol\":\"tcp\"},"
                        + "\"endpoints\":[{\"endpointIP\":\"10.0.1.2\",\"targetPort\":80,\"weight\":1,\"weight\":\"x\"}]}",
                "{\"serviceArguments\":{\"externalIP\":\"" + "9".repeat(100_000) + "\",\"port\":80}}");
    }

    private static Arbitrary<Request> deletes() {
        Arbitrary<String> byKey = Combinators.combine(Arbitraries.of(VIPS), literal(PORTS), literal(PROTOCOLS),
                Arbitraries.of("", "/portmax/8090", "/portmax/x", "/portmax/1"),
                Arbitraries.of("", "/hosturl/h1", "/hosturl/%2e%2e"),
                Arbitraries.of("", "?bgp=true", "?block=1", "?block=abc", "?bgp=x&block=1e99", "?block=NaN"))
                .as((vip, port, proto, pm, host, q) -> BASE + "/config/loadbalancer" + host + "/externalipaddress/"
                        + vip.replace(" ", "%20").replace(":", "%3A") + "/port/" + urlish(port) + pm + "/protocol/"
                        + urlish(proto) + q);
        return Arbitraries.frequencyOf(
                Tuple.of(8, byKey.map(t -> new Request("DELETE", t, null, null))),
                Tuple.of(1, Arbitraries.of("n", "%00", "..", "x".repeat(500))
                        .map(n -> new Request("DELETE", BASE + "/config/loadbalancer/name/" + n, null, null))),
                Tuple.of(1, Arbitraries.just(new Request("DELETE", BASE + "/config/loadbalancer/all", null, null))));
    }

    private static String urlish(String v) {
        StringBuilder sb = new StringBuilder();
        for (byte b : v.replace("\"", "").getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (Character.isLetterOrDigit(c) && c < 128 || c == '.' || c == '-') {
                sb.append((char) c);
            } else {
                sb.append('%').append(String.format("%02X", c));
            }
        }
        return sb.toString();
    }

    private static Arbitrary<Request> oddPathsAndMethods() {
        Arbitrary<String> method = Arbitraries.of("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "TRACE",
                "FOO", "get");
        Arbitrary<String> path = Arbitraries.of("/config/loadbalancer", "/config/loadbalancer/all", "/config/loadbalancer/",
                "//config//loadbalancer", "/config/loadbalancer/all/..", "/../../../../etc/passwd", "/config/%00",
                "/config/loadbalancer/externalipaddress", "/version?x=" + "y".repeat(2000), "/config/" + "a/".repeat(400),
                "/status/process", "/config/cistate/all", "/config/endpoint/all", "/config/bgp/neigh/all",
                "/config/loadbalancer/name/", "/%ZZ", "/config/loadbalancer?;", "").map(p -> BASE + p);
        Arbitrary<String> body = Arbitraries.of("", "{}", "x");
        return Combinators.combine(method, path, body)
                .as((m, p, b) -> new Request(m, p, b.isEmpty() && !m.equals("POST") ? null : b, null));
    }

    /** The other resources that take bodies: host probes (nothing is reachable from the namespace) and BGP. */
    private static Arbitrary<Request> otherResources() {
        return Arbitraries.of(
                post("/config/endpoint", "{\"hostName\":\"10.0.1.2\",\"probeType\":\"tcp\",\"probePort\":70000}"),
                post("/config/endpoint", "{\"hostName\":\"10.0.1.2\",\"probeType\":\"bogus\"}"),
                post("/config/endpoint", "{\"hostName\":\"x\"}"),
                post("/config/endpoint", "{\"hostName\":null}"),
                post("/config/endpoint", "{\"hostName\":\"10.0.1.2\",\"inactiveReTries\":-5}"),
                post("/config/endpoint", "{\"hostName\":\"10.0.1.2\",\"probeDuration\":\"soon\"}"),
                new Request("DELETE", BASE + "/config/endpoint/epipaddress/10.0.9.9?name=x", null, null),
                post("/config/bgp/neigh", "{\"ipAddress\":\"10.0.0.1\",\"remoteAs\":-1}"),
                post("/config/bgp/global", "{\"localAs\":\"x\"}"),
                new Request("DELETE", BASE + "/config/bgp/neigh/10.0.0.1?remoteAs=abc", null, null));
    }

    private static Arbitrary<Request> oversized() {
        return Arbitraries.of(
                post("/config/loadbalancer", "{\"serviceArguments\":{\"name\":\"" + "z".repeat(1_200_000) + "\"}}"),
                post("/config/loadbalancer", "{\"x\":\"" + "a".repeat(999_000) + "\"}"));
    }

    /** Bytes that are not quite HTTP: Jetty itself must refuse them without upsetting the daemon. */
    private static Arbitrary<Request> rawGarbage() {
        return Arbitraries.of(
                "GARBAGE\r\n\r\n",
                "POST /netlox/v1/config/loadbalancer HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}GET / HTTP/1.1\r\n\r\n",
                "POST /netlox/v1/config/loadbalancer HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\nConnection: close\r\n\r\n",
                "POST /netlox/v1/config/loadbalancer HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                        + "Connection: close\r\n\r\nzz\r\n{}\r\n0\r\n\r\n",
                "GET /netlox/v1/version HTTP/1.1\r\nHost: x\r\nX: " + "h".repeat(20_000) + "\r\nConnection: close\r\n\r\n",
                "GET /netlox/v1/version HTTP/9.9\r\nConnection: close\r\n\r\n",
                "\u0000\u0001\u0002\r\n\r\n")
                .map(s -> new Request(null, null, null, s.getBytes(StandardCharsets.ISO_8859_1)));
    }
}
