package dev.loxiharness.harness.probe;

import dev.loxiharness.exec.ExecResult;
import dev.loxiharness.harness.backend.Node;
import java.time.Duration;
import java.util.List;

/** HTTP from inside a node with curl. */
public final class Curl {
    public static final Duration TIMEOUT = Duration.ofSeconds(2);

    private Curl() {
    }

    /** A GET of {@code url} from {@code node}; status 0 when nothing answered within {@code timeout}. */
    public static HttpResponse get(Node node, String url, Duration timeout) {
        return get(node, url, timeout, List.of());
    }

    /**
     * A GET for a check that is polled: it gives up on a connection not made within 0.5 s, where a
     * path that is not there yet (a rule or route on its way) would cost the SYN's 1 s retransmission
     * before the next poll could see it ready. Connections inside a topology are made in microseconds.
     */
    public static HttpResponse poll(Node node, String url) {
        return get(node, url, TIMEOUT, List.of("--connect-timeout", "0.5"));
    }

    private static HttpResponse get(Node node, String url, Duration timeout, List<String> options) {
        List<String> argv = new java.util.ArrayList<>(List.of("curl", "-s", "-S", "-m", String.valueOf(Math.max(1, timeout.toSeconds()))));
        argv.addAll(options);
        argv.addAll(List.of("-w", "\n%{http_code}", url));
        ExecResult r = node.exec(timeout.plusSeconds(3), null, argv);
        String out = r.stdout();
        int cut = out.lastIndexOf('\n');
        String code = cut < 0 ? out.strip() : out.substring(cut + 1).strip();
        String body = cut < 0 ? "" : out.substring(0, cut);
        int status = code.matches("\\d{3}") ? Integer.parseInt(code) : 0;
        return new HttpResponse(url, status, body, r.ok() ? "" : "curl exit " + r.exitCode() + ": " + r.stderr().strip());
    }

    public static HttpResponse get(Node node, String url) {
        return get(node, url, TIMEOUT);
    }
}
