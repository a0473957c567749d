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
        ExecResult r = node.exec(timeout.plusSeconds(3), null, List.of("curl", "-s", "-S",
                "-m", String.valueOf(Math.max(1, timeout.toSeconds())), "-w", "\n%{http_code}", url));
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
