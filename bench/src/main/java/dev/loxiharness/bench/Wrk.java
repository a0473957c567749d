package dev.loxiharness.bench;

import dev.loxiharness.exec.ExecResult;
import dev.loxiharness.netns.Netns;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** wrk, run inside a namespace, and what its text output says. */
final class Wrk {
    private static final Pattern LATENCY = Pattern.compile("^\\s*Latency\\s+([\\d.]+)(us|ms|s|m)\\b", Pattern.MULTILINE);
    private static final Pattern P99 = Pattern.compile("^\\s*99(?:\\.0+)?%\\s+([\\d.]+)(us|ms|s|m)\\b", Pattern.MULTILINE);
    private static final Pattern RPS = Pattern.compile("^Requests/sec:\\s+([\\d.]+)", Pattern.MULTILINE);
    private static final Pattern TOTAL = Pattern.compile("^\\s*(\\d+) requests in", Pattern.MULTILINE);
    private static final Pattern SOCKET = Pattern.compile(
            "Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");
    private static final Pattern NON2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");

    /** One run: throughput, mean and p99 latency (ms), and every kind of error wrk counted. */
    record Run(String target, boolean newConnections, double rps, double meanMs, double p99Ms, long requests,
               long connectErrors, long readErrors, long writeErrors, long timeouts, long non2xx) {
        long errors() {
            return connectErrors + writeErrors + timeouts + non2xx + (newConnections ? 0 : readErrors);
        }

        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("target", target);
            m.put("newConnections", newConnections);
            m.put("rps", rps);
            m.put("meanMs", meanMs);
            m.put("p99Ms", p99Ms);
            m.put("requests", requests);
            m.put("socketErrors", List.of(connectErrors, readErrors, writeErrors, timeouts));
            m.put("non2xx", non2xx);
            return m;
        }
    }

    private Wrk() {
    }

    /**
     * {@code wrk -t1 -cC -dDs --latency URL}; with {@code newConnections} every request carries
     * {@code Connection: close}, so each one is a new connection whose first packet walks the
     * load balancer's NAT lookup (with keep-alive only the first request of each connection does).
     */
    static Run run(Netns ns, String target, int connections, int seconds, boolean newConnections) {
        List<String> cmd = new ArrayList<>(BenchLab.pinned(BenchLab.CLIENT_CPU));
        cmd.addAll(List.of("wrk", "-t1", "-c" + connections, "-d" + seconds + "s",
                "--timeout", "2s", "--latency"));
        if (newConnections) {
            cmd.addAll(List.of("-H", "Connection: close"));
        }
        cmd.add("http://" + target + "/");
        ExecResult r = Procs.run(ns.wrap(cmd), Duration.ofSeconds(seconds + 30L)).result();
        if (!r.ok()) {
            throw new IllegalStateException("wrk failed: " + r + " " + r.stdout());
        }
        return parse(target, newConnections, r.stdout());
    }

    static Run parse(String target, boolean newConnections, String out) {
        Matcher sock = SOCKET.matcher(out);
        boolean hasSock = sock.find();
        Matcher non = NON2XX.matcher(out);
        return new Run(target, newConnections, number(RPS, out), durationMs(LATENCY, out), durationMs(P99, out),
                (long) number(TOTAL, out),
                hasSock ? Long.parseLong(sock.group(1)) : 0, hasSock ? Long.parseLong(sock.group(2)) : 0,
                hasSock ? Long.parseLong(sock.group(3)) : 0, hasSock ? Long.parseLong(sock.group(4)) : 0,
                non.find() ? Long.parseLong(non.group(1)) : 0);
    }

    private static double number(Pattern p, String out) {
        Matcher m = p.matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("unexpected wrk output (no " + p + "): " + out);
        }
        return Double.parseDouble(m.group(1));
    }

    private static double durationMs(Pattern p, String out) {
        Matcher m = p.matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("unexpected wrk output (no " + p + "): " + out);
        }
        double v = Double.parseDouble(m.group(1));
        return switch (m.group(2)) {
            case "us" -> v / 1000;
            case "ms" -> v;
            case "s" -> v * 1000;
            default -> v * 60_000;
        };
    }
}
