package dev.loxiharness.bench;

import dev.loxiharness.console.Progress;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
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
        URI uri = URI.create(base);
        String path = uri.getRawPath();
        for (int i = 0; i < 3; i++) {
            try (Connection c = new Connection(uri.getHost(), uri.getPort(), deadline)) {
                Answer a = c.exchange(("GET " + path + "/version HTTP/1.1\r\nHost: " + uri.getHost()
                        + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                if (a.status() != 200) {
                    throw new IllegalStateException("GET /version answered " + a.status() + ": " + a.body());
                }
            }
        }

        AtomicInteger next = new AtomicInteger();
        AtomicInteger answeredSoFar = new AtomicInteger();
        int tellEvery = Math.max(1, count / 100);
        long[] latencyNanos = new long[count];
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        List<String> errors = Collections.synchronizedList(new ArrayList<>());
        String head = "POST " + path + "/config/loadbalancer HTTP/1.1\r\nHost: " + uri.getHost()
                + "\r\nContent-Type: application/json\r\nContent-Length: ";
        long t0 = System.nanoTime();
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < Math.min(concurrency, count); w++) {
            Thread t = new Thread(() -> {
                Connection c = null;
                try {
                    for (int k = next.getAndIncrement(); k < count && System.nanoTime() < deadline;
                         k = next.getAndIncrement()) {
                        int i = first + k;
                        byte[] body = Rules.body(i).getBytes(StandardCharsets.UTF_8);
                        byte[] headers = (head + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
                        byte[] request = Arrays.copyOf(headers, headers.length + body.length);
                        System.arraycopy(body, 0, request, headers.length, body.length);
                        long sent = System.nanoTime();
                        int status;
                        String answer = null;
                        try {
                            if (c == null) {
                                c = new Connection(uri.getHost(), uri.getPort(), deadline);
                            }
                            Answer a = c.exchange(request);
                            status = a.status();
                            answer = a.body();
                            if (a.closes()) {
                                c.close();
                                c = null;
                            }
                        } catch (IOException e) {
                            status = -1;
                            answer = e.toString();
                            if (c != null) {
                                c.close();
                                c = null;
                            }
                        }
                        latencyNanos[k] = System.nanoTime() - sent;
                        statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
                        if (status != 200 && errors.size() < 5) {
                            errors.add("rule " + i + ": " + (status == -1 ? answer : status + " " + answer));
                        }
                        int n = answeredSoFar.incrementAndGet();
                        if (n % tellEvery == 0) {
                            System.err.println(ANSWERED + n);
                        }
                    }
                } finally {
                    if (c != null) {
                        c.close();
                    }
                }
            }, "rest-load-" + w);
            t.setDaemon(true);
            t.start();
            workers.add(t);
        }
        for (Thread t : workers) {
            t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        }
        boolean timedOut = answeredSoFar.get() < count;
        double seconds = (System.nanoTime() - t0) / 1e9;

        int answered = answeredSoFar.get();
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

    /** What the server answered: status, body, and whether it closes the connection after. */
    record Answer(int status, String body, boolean closes) {
    }

    /**
     * One HTTP/1.1 keep-alive connection over a plain socket: a request written as bytes, the answer
     * read by its Content-Length (or chunks). The JDK's HttpClient costs more CPU per request than the
     * daemon it measures, on the same 2 cores, so the load is sent this way.
     */
    static final class Connection implements AutoCloseable {
        private final Socket socket;
        private final OutputStream out;
        private final InputStream in;

        Connection(String host, int port, long deadlineNanos) throws IOException {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), 5_000);
            socket.setSoTimeout((int) Math.max(1_000, Math.min(120_000,
                    TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()))));
            out = socket.getOutputStream();
            in = new BufferedInputStream(socket.getInputStream(), 8192);
        }

        Answer exchange(byte[] request) throws IOException {
            out.write(request);
            out.flush();
            String statusLine = line();
            String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
                throw new IOException("not an HTTP answer: " + statusLine);
            }
            int status = Integer.parseInt(parts[1]);
            long length = -1;
            boolean chunked = false;
            boolean closes = false;
            for (String h = line(); !h.isEmpty(); h = line()) {
                int colon = h.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String name = h.substring(0, colon).strip().toLowerCase(Locale.ROOT);
                String value = h.substring(colon + 1).strip();
                switch (name) {
                    case "content-length" -> length = Long.parseLong(value);
                    case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                    case "connection" -> closes = value.equalsIgnoreCase("close");
                    default -> { }
                }
            }
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            if (chunked) {
                for (long size = Long.parseLong(line().split(";")[0].strip(), 16); size > 0;
                     size = Long.parseLong(line().split(";")[0].strip(), 16)) {
                    body.write(in.readNBytes((int) size));
                    line();
                }
                while (!line().isEmpty()) {
                    // trailers
                }
            } else if (length >= 0) {
                body.write(in.readNBytes((int) length));
            } else {
                body.write(in.readAllBytes());
                closes = true;
            }
            return new Answer(status, body.toString(StandardCharsets.UTF_8), closes);
        }

        private String line() throws IOException {
            StringBuilder b = new StringBuilder();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    throw new IOException("connection closed by the server");
                }
                if (c != '\r') {
                    b.append((char) c);
                }
            }
            return b.toString();
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing a socket we are done with
            }
        }
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
