package dev.loxiharness.harness.probe;

import dev.loxiharness.exec.ExecResult;
import dev.loxiharness.harness.backend.Node;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** HTTP from inside a node with curl. */
public final class Curl {
    public static final Duration TIMEOUT = Duration.ofSeconds(2);
    /** How many requests {@link #getAll} has in flight at once. */
    public static final int PARALLEL = 64;

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

    /**
     * GETs of every URL from {@code node}, {@link #PARALLEL} at a time, by one curl ({@code --parallel},
     * the URLs in a config on its stdin, bodies discarded): a thousand in well under a second, where a
     * curl per URL spends most of its time starting. Status 0 for a URL nothing answered within
     * {@code timeout}; the answers in the order of {@code urls}.
     */
    public static List<HttpResponse> getAll(Node node, List<String> urls, Duration timeout) {
        if (urls.isEmpty()) {
            return List.of();
        }
        StringBuilder config = new StringBuilder();
        urls.forEach(u -> config.append("url = \"").append(u).append("\"\noutput = \"/dev/null\"\n"));
        long seconds = Math.max(1, timeout.toSeconds());
        Duration all = Duration.ofSeconds(10 + seconds * (urls.size() / PARALLEL + 1));
        ExecResult r = node.exec(all, config.toString(), List.of("curl", "--no-progress-meter", "--parallel", "--parallel-max",
                String.valueOf(PARALLEL), "-m", String.valueOf(seconds), "-w", "%{urlnum} %{http_code} %{errormsg}\n", "-K", "-"));
        // answers come in the order they finish, each with its URL's place in the config (curl
        // normalises the URL it reports back: http://host:port becomes http://host:port/)
        Map<Integer, HttpResponse> byIndex = new HashMap<>();
        for (String line : r.stdout().lines().toList()) {
            String[] f = line.split(" ", 3);
            if (f.length >= 2 && f[0].matches("\\d+") && f[1].matches("\\d{3}") && Integer.parseInt(f[0]) < urls.size()) {
                int index = Integer.parseInt(f[0]);
                int status = Integer.parseInt(f[1]);
                byIndex.put(index, new HttpResponse(urls.get(index), status, "", status == 0 && f.length == 3 ? f[2].strip() : ""));
            }
        }
        String missing = r.ok() || r.exitCode() != 124 ? "no answer" : "curl timed out after " + all.toSeconds() + " s";
        List<HttpResponse> out = new java.util.ArrayList<>();
        for (int i = 0; i < urls.size(); i++) {
            out.add(byIndex.getOrDefault(i, new HttpResponse(urls.get(i), 0, "", missing)));
        }
        return out;
    }
}
