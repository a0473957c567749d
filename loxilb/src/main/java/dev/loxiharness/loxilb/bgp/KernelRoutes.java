package dev.loxiharness.loxilb.bgp;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loxiharness.loxilb.wire.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the kernel's {@code proto bgp} routes equal to the learnt best paths: adds and replaces
 * what is new or moved, removes what was withdrawn, in one {@code ip -batch} per change.
 */
final class KernelRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(KernelRoutes.class);

    /** Makes the kernel's bgp routes exactly {@code wanted} (prefix to next hop). */
    synchronized void sync(List<GobgpClient.LearnedRoute> wanted) {
        Map<String, String> want = new HashMap<>();
        for (GobgpClient.LearnedRoute r : wanted) {
            want.putIfAbsent(r.prefix(), r.nextHop());
        }
        Map<String, String> have = current();
        StringBuilder batch = new StringBuilder();
        want.forEach((prefix, via) -> {
            if (!via.equals(have.get(prefix))) {
                batch.append("route replace ").append(prefix).append(" via ").append(via).append(" proto bgp\n");
            }
        });
        have.keySet().stream().filter(p -> !want.containsKey(p))
                .forEach(p -> batch.append("route del ").append(p).append(" proto bgp\n"));
        if (batch.length() > 0) {
            run(batch.toString());
        }
    }

    /** Removes every bgp route (at shutdown: a stopped loxilb should not leave stale routes). */
    synchronized void clear() {
        StringBuilder batch = new StringBuilder();
        current().keySet().forEach(p -> batch.append("route del ").append(p).append(" proto bgp\n"));
        if (batch.length() > 0) {
            run(batch.toString());
        }
    }

    private static Map<String, String> current() {
        Map<String, String> out = new HashMap<>();
        try {
            Process p = new ProcessBuilder("ip", "-j", "-4", "route", "show", "proto", "bgp").start();
            byte[] json = p.getInputStream().readAllBytes();
            p.waitFor(5, TimeUnit.SECONDS);
            JsonNode routes = Json.MAPPER.readTree(json.length == 0 ? "[]".getBytes() : json);
            for (JsonNode r : routes) {
                String dst = r.path("dst").asText();
                out.put(dst.contains("/") ? dst : dst + "/32", r.path("gateway").asText(""));
            }
        } catch (IOException e) {
            LOG.warn("cannot list kernel routes: {}", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return out;
    }

    private static void run(String batch) {
        try {
            // -force: one refused line (e.g. an unreachable next hop) must not stop the others
            Process p = new ProcessBuilder("ip", "-force", "-batch", "-").redirectErrorStream(true).start();
            try (OutputStream in = p.getOutputStream()) {
                in.write(batch.getBytes(StandardCharsets.UTF_8));
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(10, TimeUnit.SECONDS);
            if (p.exitValue() != 0) {
                LOG.warn("some kernel route changes failed: {}", out.strip());
            }
        } catch (IOException e) {
            LOG.warn("cannot change kernel routes: {}", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
