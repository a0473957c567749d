package dev.loxiharness.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loxiharness.console.Progress;
import dev.loxiharness.exec.ExecResult;
import dev.loxiharness.exec.Paths;
import dev.loxiharness.netns.Lab;
import dev.loxiharness.netns.Netns;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One benchmark's namespaces, processes and temporary files (all removed on close, on failure and
 * on Ctrl-C). The traffic wiring is the integration test's idea, with the VIPs of {@link Rules}:
 * <pre>
 * client 198.51.100.10 (VIP path)    --- 198.51.100.1 lb 10.0.1.1 --- 10.0.1.2 be (one nginx :8080)
 *        198.51.100.11 (direct path)                       10.0.2.1     10.0.2.2
 * </pre>
 * Both endpoints are addresses of one backend namespace served by one nginx process: the VIP path
 * (balanced over both) and the direct path (10.0.1.2) then use the same server and the same CPU,
 * so the difference between them is the load balancer. With one nginx per endpoint sharing a CPU,
 * the VIP path would also measure the scheduler's time slicing between the two.
 * The daemon is started through {@code bin/loxilb}, so it runs with the launcher's JVM options.
 */
final class BenchLab implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String API = "http://127.0.0.1:11111/netlox/v1";
    static final String DIRECT_SRC = "198.51.100.11";

    final Env env;
    final Lab lab = Lab.create("lxb");
    final Path dir;
    private final Thread dirCleanup;
    private Process nginx;

    /** A daemon this lab started: its process (pid = the JVM's, the launchers exec), log and config. */
    record Daemon(Netns ns, Process process, Path log, Path config) {
        long pid() {
            return process.pid();
        }
    }

    BenchLab(Env env) {
        this.env = env;
        try {
            dir = Files.createTempDirectory("loxilb-bench");
        } catch (IOException e) {
            lab.close();
            throw new UncheckedIOException(e);
        }
        // the lab's own hook may still be ending processes that write here: end them first
        // (Lab.close is idempotent and waits for a cleanup already under way)
        dirCleanup = new Thread(() -> {
            lab.close();
            deleteDir();
        }, "bench-tmp-cleanup");
        Runtime.getRuntime().addShutdownHook(dirCleanup);
    }

    Netns ns(String name) {
        return lab.namespace(name);
    }

    /** client, lb and the backend namespace with both endpoint addresses; returns {client, lb}. */
    Netns[] wireTraffic() throws IOException {
        Netns client = ns("client");
        Netns lb = ns("lb");
        Netns be = ns("be");
        lab.veth(client, "eth0", lb, "eth0");
        client.addr("eth0", "198.51.100.10/24").route("default", "via", "198.51.100.1");
        // the direct path leaves from a second address: its connections then never share a 4-tuple
        // with the VIP's (a backend's TIME_WAIT socket or a conntrack entry of one path would
        // otherwise refuse the other path's SYN and cost it a 1 s retransmission)
        client.addr("eth0", DIRECT_SRC + "/24").route("10.0.0.0/16", "via", "198.51.100.1", "src", DIRECT_SRC);
        lb.addr("eth0", "198.51.100.1/24");
        lab.veth(lb, "be", be, "eth0");
        lb.addr("be", "10.0.1.1/24").addr("be", "10.0.2.1/24");
        be.addr("eth0", Rules.BE1 + "/24").addr("eth0", Rules.BE2 + "/24").route("default", "via", "10.0.1.1");
        nginx(be, "be");
        lb.sysctl("net.ipv4.ip_forward", "1");
        // wrk's new-connection runs open tens of thousands of connections: give the client the whole
        // port range (these sysctls are per namespace; the root namespace is not touched)
        client.sysctl("net.ipv4.ip_local_port_range", "1024 65000");
        client.sysctl("net.ipv4.tcp_tw_reuse", "1");
        return new Netns[] {client, lb};
    }

    private void nginx(Netns ns, String name) throws IOException {
        Path conf = dir.resolve(name + ".conf");
        Files.writeString(conf, "worker_processes 1; pid " + dir.resolve(name + ".pid") + "; error_log "
                + dir.resolve(name + ".err") + "; daemon off; user root;\nevents { worker_connections 4096; }\n"
                + "http { access_log off; keepalive_requests 1000000;\n"
                + "  server { listen 8080 backlog=4096; location / { return 200 \"$server_addr\\n\"; } } }\n");
        List<String> cmd = new ArrayList<>(pinned(SERVER_CPU));
        cmd.addAll(List.of("nginx", "-c", conf.toString()));
        nginx = lab.spawn(ns, dir.resolve(name + ".log"), cmd);
        waitHttp(ns, "127.0.0.1", 8080, "/", Duration.ofSeconds(10));
    }

    /** The pid of the backend's nginx worker (the master's only child). */
    long nginxWorkerPid() {
        long master = nginx.pid();
        for (int i = 0; i < 50; i++) {
            try {
                String kids = Files.readString(Path.of("/proc/" + master + "/task/" + master + "/children")).strip();
                if (!kids.isEmpty()) {
                    return Long.parseLong(kids.split("\\s+")[0]);
                }
                Thread.sleep(100);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new IllegalStateException("nginx (pid " + master + ") has no worker");
    }

    /** Time a process spent runnable but waiting for a CPU (/proc/PID/schedstat), in ns. */
    static long schedWaitNanos(long pid) {
        try {
            return Long.parseLong(Files.readString(Path.of("/proc/" + pid + "/schedstat")).trim().split("\\s+")[1]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static final int CLIENT_CPU = 0;
    static final int SERVER_CPU = 1;

    /**
     * {@code taskset -c CPU} when there are two CPUs or more. Load generator and backends get a CPU
     * each, so the direct path (wrk + one nginx) and the VIP path (wrk + two nginx) get the same CPU
     * for the same job; unpinned, the third busy process of the VIP path takes a third of wrk's CPU.
     */
    static List<String> pinned(int cpu) {
        return Runtime.getRuntime().availableProcessors() >= 2 ? List.of("taskset", "-c", String.valueOf(cpu)) : List.of();
    }

    /** Starts {@code bin/loxilb --config-path DIR} in {@code ns} and waits until its API answers. */
    Daemon startDaemon(Netns ns, String name) {
        Daemon d = spawnDaemon(ns, name);
        try {
            // generous: bin/loxilb builds the jars first when the tree changed meanwhile
            waitHttp(ns, "127.0.0.1", 11111, "/netlox/v1/version", Duration.ofMinutes(5));
        } catch (RuntimeException e) {
            throw new IllegalStateException(e.getMessage() + "; daemon log: " + tail(d.log(), 15), e);
        }
        return d;
    }

    Daemon spawnDaemon(Netns ns, String name) {
        Path config = dir.resolve(name + "-config");
        try {
            Files.createDirectories(config); // exists from the start, so that it can be watched
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path log = dir.resolve(name + "-loxilb.log");
        Process p = lab.spawn(ns, log, List.of(env.root().resolve("bin/loxilb").toString(),
                "--config-path", config.toString()));
        return new Daemon(ns, p, log, config);
    }

    void stopDaemon(Daemon d) {
        lab.stop(d.process(), 15_000);
    }

    /**
     * A poller inside {@code ns}: bash's /dev/tcp, no process per poll, every 5 ms until the first
     * 200 of GET {@code path}. {@link ApiPoller#start()} returns once it is polling, so the caller
     * can start the daemon right after; the answer's time is the poller's wall clock.
     */
    ApiPoller poller(Netns ns, int port, String path, Duration budget) {
        return new ApiPoller(ns, port, path, budget);
    }

    final class ApiPoller implements AutoCloseable {
        private final Process p;
        private final BufferedReader out;
        private final Duration budget;
        private String last = "";

        ApiPoller(Netns ns, int port, String path, Duration budget) {
            this.budget = budget;
            long polls = budget.toMillis() / 5;
            String script = "exec {hold}<> <(:)\n" // an fd that never has data: read -t on it sleeps without forking
                    + "echo polling\n"
                    + "line=''\n"
                    + "for ((i = 0; i < " + polls + "; i++)); do\n"
                    + "  if { exec 3<>/dev/tcp/127.0.0.1/" + port + "; } 2>/dev/null; then\n"
                    + "    printf 'GET " + path + " HTTP/1.0\\r\\nHost: 127.0.0.1\\r\\n\\r\\n' >&3\n"
                    + "    line=''; IFS= read -r -t 2 line <&3\n"
                    + "    exec 3<&-\n"
                    + "    case \"$line\" in \"HTTP/1.\"?\" 200\"*) echo \"ready $EPOCHREALTIME\"; exit 0 ;; esac\n"
                    + "  fi\n"
                    + "  read -r -t 0.005 -u \"$hold\"\n"
                    + "done\n"
                    + "echo \"gave up; last answer: ${line:-none}\"; exit 1\n";
            p = Procs.start(ns.wrap(List.of("bash", "-c", script)));
            out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        }

        ApiPoller start() {
            String first = line(Duration.ofSeconds(10));
            if (!"polling".equals(first)) {
                throw new IllegalStateException("API poller did not start: " + first);
            }
            return this;
        }

        /** The wall-clock instant of the first 200, or an exception saying what was last seen. */
        Instant await() {
            String l = line(budget.plusSeconds(5));
            if (l == null || !l.startsWith("ready ")) {
                throw new IllegalStateException("no 200 within " + budget.toSeconds() + " s: " + l);
            }
            String[] t = l.substring(6).trim().split("[.,]");
            return Instant.ofEpochSecond(Long.parseLong(t[0]), Long.parseLong((t[1] + "000000").substring(0, 9)));
        }

        private String line(Duration wait) {
            CompletableFuture<String> f = CompletableFuture.supplyAsync(() -> {
                try {
                    return out.readLine();
                } catch (IOException e) {
                    return null;
                }
            });
            try {
                last = f.get(wait.toMillis(), TimeUnit.MILLISECONDS);
                return last;
            } catch (Exception e) {
                return "no output within " + wait.toSeconds() + " s (" + last + ")";
            }
        }

        @Override
        public void close() {
            Procs.end(p);
        }
    }

    /** Bounded wait for a 200 on {@code ip:port path}, from inside {@code ns}. */
    void waitHttp(Netns ns, String ip, int port, String path, Duration budget) {
        if (!ip.equals("127.0.0.1")) {
            throw new IllegalArgumentException("polls are for the namespace's loopback");
        }
        try (ApiPoller p = poller(ns, port, path, budget).start()) {
            p.await();
        }
    }

    /** One GET from inside {@code ns} to an address of our namespaces; the body, or "" on failure. */
    String get(Netns ns, String ip, int port, String path) {
        String script = "exec 3<>/dev/tcp/" + ip + "/" + port + " || exit 1\n"
                + "printf 'GET " + path + " HTTP/1.0\\r\\nHost: x\\r\\n\\r\\n' >&3\n"
                + "timeout 3 cat <&3\n";
        ExecResult r = Procs.run(ns.wrap(List.of("bash", "-c", script)), Duration.ofSeconds(5)).result();
        String s = r.stdout();
        int body = s.indexOf("\r\n\r\n");
        return r.ok() && s.startsWith("HTTP/1.1 200") && body > 0 ? s.substring(body + 4).strip() : "";
    }

    /**
     * Runs the REST load client inside {@code ns}: rules {@code first .. first+count-1}, at most
     * {@code concurrency} in flight. Returns its JSON report; fails when not every answer was 200.
     */
    JsonNode restLoad(Netns ns, int first, int count, int concurrency, Duration budget) {
        return restLoad(ns, first, count, concurrency, budget, 200);
    }

    /** The same, where every answer must be {@code status} (409: rules the daemon already has). */
    JsonNode restLoad(Netns ns, int first, int count, int concurrency, Duration budget, int status) {
        List<String> cmd = new ArrayList<>(List.of(env.java(), "-XX:+UseSerialGC", "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-cp", env.benchJar().toString(), RestLoad.class.getName(), API, String.valueOf(first),
                String.valueOf(count), String.valueOf(concurrency), String.valueOf(budget.toSeconds())));
        // a few rules take no time worth telling
        Procs.Timed t = RestLoad.run(ns.wrap(cmd), count, budget.plusSeconds(30), count >= 100 ? env.progress() : Progress.SILENT);
        String out = t.result().stdout().strip();
        JsonNode n;
        try {
            n = JSON.readTree(out.isEmpty() ? "{}" : out.substring(out.lastIndexOf('\n') + 1));
        } catch (IOException e) {
            throw new IllegalStateException("REST load client printed no report: " + t.result());
        }
        if (!t.ok() || n.path("statuses").path(String.valueOf(status)).asInt() != count) {
            throw new IllegalStateException("REST load of " + count + " rules from " + first + ": " + out
                    + (RestLoad.complaints(t).isBlank() ? "" : " / " + RestLoad.complaints(t)));
        }
        return n;
    }

    /** Resident set size of a process, in MB (VmRSS of /proc/PID/status). */
    static double rssMb(long pid) {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (l.startsWith("VmRSS:")) {
                    return Long.parseLong(l.replaceAll("\\D", "")) / 1024.0;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("no VmRSS for pid " + pid);
    }

    /** CPU seconds of a process: its own, and that of its reaped children (the nft calls). */
    static double[] cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // fields from 3 on: utime 14, stime 15, cutime 16, cstime 17 -> indexes 11..14
            double hz = 100.0;
            return new double[] {(Long.parseLong(f[11]) + Long.parseLong(f[12])) / hz,
                    (Long.parseLong(f[13]) + Long.parseLong(f[14])) / hz};
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String comm(long pid) {
        try {
            return Files.readString(Path.of("/proc/" + pid + "/comm")).strip();
        } catch (IOException e) {
            return "?";
        }
    }

    static String tail(Path log, int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join(" | ", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private void deleteDir() {
        try {
            Paths.deleteTree(dir);
        } catch (UncheckedIOException e) {
            // a leftover temp folder is harmless; namespaces and processes are what matter
        }
    }

    @Override
    public void close() {
        lab.close();
        deleteDir();
        try {
            Runtime.getRuntime().removeShutdownHook(dirCleanup);
        } catch (IllegalStateException e) {
            // already shutting down
        }
    }
}
