package dev.loxiharness.bench;

import dev.loxiharness.console.Progress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * The REST load client, run inside the daemon's namespace ({@code ip netns exec NS java -cp bench.jar
 * dev.loxiharness.bench.RestLoad ...}): POSTs rules {@code first .. first+count-1} with at most
 * {@code concurrency} requests in flight and prints one JSON line: the wall time from the first
 * request to the last answer, the answers by status, latencies, and the first few errors. The clock
 * starts after a few GET /version calls, so the client's own JVM start and warm-up are not counted.
 * On stderr it says how far it got, {@code answered N}, at every hundredth of the rules (for the
 * progress line of {@code bench/run}).
 *
 * <pre>RestLoad URL FIRST COUNT CONCURRENCY TIMEOUT_SECONDS</pre>
 */
public final class RestLoad {
    static final String ANSWERED = "answered ";
    private RestLoad() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            System.err.println("usage: RestLoad URL FIRST COUNT CONCURRENCY TIMEOUT_SECONDS");
            System.exit(2);
        }
        String base = args[0];
        int first = Integer.parseInt(args[1]);
        int count = Integer.parseInt(args[2]);
        int concurrency = Integer.parseInt(args[3]);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.parseLong(args[4]));
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();

        for (int i = 0; i < 3; i++) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/version"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("GET /version answered " + r.statusCode() + ": " + r.body());
            }
        }

        Semaphore inFlight = new Semaphore(concurrency);
        AtomicInteger answeredSoFar = new AtomicInteger();
        int tellEvery = Math.max(1, count / 100);
        CountDownLatch done = new CountDownLatch(count);
        long[] latencyNanos = new long[count];
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        List<String> errors = Collections.synchronizedList(new ArrayList<>());
        URI post = URI.create(base + "/config/loadbalancer");
        long t0 = System.nanoTime();
        boolean timedOut = false;
        for (int k = 0; k < count && !timedOut; k++) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !inFlight.tryAcquire(left, TimeUnit.NANOSECONDS)) {
                timedOut = true;
                break;
            }
            int i = first + k;
            int slot = k;
            long sent = System.nanoTime();
            HttpRequest req = HttpRequest.newBuilder(post).timeout(Duration.ofSeconds(120))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(Rules.body(i))).build();
            http.sendAsync(req, HttpResponse.BodyHandlers.ofString()).whenComplete((r, e) -> {
                latencyNanos[slot] = System.nanoTime() - sent;
                int status = e != null ? -1 : r.statusCode();
                statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
                if (status != 200 && errors.size() < 5) {
                    errors.add("rule " + i + ": " + (e != null ? e.toString() : status + " " + r.body()));
                }
                inFlight.release();
                done.countDown();
                int n = answeredSoFar.incrementAndGet();
                if (n % tellEvery == 0) {
                    System.err.println(ANSWERED + n);
                }
            });
        }
        long left = Math.max(0, deadline - System.nanoTime());
        if (!done.await(left, TimeUnit.NANOSECONDS)) {
            timedOut = true;
        }
        double seconds = (System.nanoTime() - t0) / 1e9;

        int answered = (int) (count - done.getCount());
        long[] sorted = Arrays.copyOf(latencyNanos, count);
        Arrays.sort(sorted);
        long[] got = Arrays.copyOfRange(sorted, count - answered, count);
        Map<Integer, Integer> byStatus = new TreeMap<>();
        statuses.forEach((s, n) -> byStatus.put(s, n.get()));
        StringBuilder json = new StringBuilder("{");
        json.append("\"count\":").append(count).append(",\"answered\":").append(answered)
                .append(",\"ok\":").append(byStatus.getOrDefault(200, 0))
                .append(",\"timedOut\":").append(timedOut)
                .append(",\"concurrency\":").append(concurrency)
                .append(",\"seconds\":").append(seconds)
                .append(",\"statuses\":{");
        String sep = "";
        for (var e : byStatus.entrySet()) {
            json.append(sep).append('"').append(e.getKey()).append("\":").append(e.getValue());
            sep = ",";
        }
        json.append("},\"latencyMs\":{\"p50\":").append(ms(pct(got, 50))).append(",\"p99\":").append(ms(pct(got, 99)))
                .append(",\"max\":").append(ms(got.length == 0 ? 0 : got[got.length - 1])).append('}');
        if (count <= 20) {
            json.append(",\"eachMs\":[");
            for (int k = 0; k < answered; k++) {
                json.append(k == 0 ? "" : ",").append(ms(latencyNanos[k]));
            }
            json.append(']');
        }
        json.append(",\"errors\":[");
        synchronized (errors) {
            for (int k = 0; k < errors.size(); k++) {
                json.append(k == 0 ? "" : ",").append('"').append(escape(errors.get(k))).append('"');
            }
        }
        json.append("]}");
        System.out.println(json);
        System.exit(timedOut ? 3 : 0);
    }

    /**
     * Runs the client ({@code argv}: this class's main, wrapped as the caller needs) for {@code count}
     * rules, telling {@code progress} how far it got from the {@code answered N} lines it prints.
     */
    static Procs.Timed run(List<String> argv, int count, Duration timeout, Progress progress) {
        try (Progress.Task load = progress.start(String.format(Locale.ROOT, "%,d rules over REST", count), count)) {
            Procs.Timed t = Procs.run(argv, null, timeout, line -> {
                if (line.startsWith(ANSWERED)) {
                    load.advance(Long.parseLong(line.substring(ANSWERED.length()).strip()));
                }
            });
            load.done(String.format(Locale.ROOT, "%,d rules over REST: %s", count,
                    t.ok() ? String.format(Locale.ROOT, "%.1f s", t.seconds()) : "failed, exit " + t.result().exitCode()));
            return t;
        }
    }

    /** What the client said on stderr besides how far it got. */
    static String complaints(Procs.Timed t) {
        return t.result().stderr().lines().filter(l -> !l.startsWith(ANSWERED)).collect(Collectors.joining("\n")).strip();
    }

    private static long pct(long[] sorted, int p) {
        if (sorted.length == 0) {
            return 0;
        }
        int idx = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, idx))];
    }

    private static double ms(long nanos) {
        return Math.round(nanos / 1e4) / 100.0;
    }

    private static String escape(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(' ');
            } else {
                b.append(c);
            }
        }
        return b.length() > 300 ? b.substring(0, 300) : b.toString();
    }
}
