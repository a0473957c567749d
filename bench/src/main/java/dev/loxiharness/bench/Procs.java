package dev.loxiharness.bench;

import dev.loxiharness.exec.Commands;
import dev.loxiharness.exec.ExecResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Short-lived commands of the benchmarks (wrk, nft, the load client, loxicmd), each with a bounded
 * wait and timed from start to exit. Every running one is remembered, so that a Ctrl-C or a kill of
 * the benchmark ends them too (by their own pid), not only the long-running ones the lab spawned.
 */
final class Procs {
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Procs::end), "bench-procs"));
    }

    private Procs() {
    }

    /** A finished command and its wall time, spawn to exit, in seconds. */
    record Timed(ExecResult result, double seconds) {
        boolean ok() {
            return result.ok();
        }
    }

    static Timed run(List<String> argv, String stdin, Duration timeout) {
        return run(argv, stdin, timeout, line -> { });
    }

    /** As {@link #run(List, String, Duration)}, handing each line the command prints on stderr to {@code stderrLines} as it comes. */
    static Timed run(List<String> argv, String stdin, Duration timeout, Consumer<String> stderrLines) {
        long t0 = System.nanoTime();
        Process p;
        try {
            p = new ProcessBuilder(argv).start();
        } catch (IOException e) {
            return new Timed(new ExecResult(argv, 127, "", e.getMessage()), 0);
        }
        LIVE.add(p);
        try {
            CompletableFuture<String> out = drain(p.getInputStream(), line -> { });
            CompletableFuture<String> err = drain(p.getErrorStream(), stderrLines);
            Commands.feed(p, stdin);
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                end(p);
                return new Timed(new ExecResult(argv, 124, out.getNow(""),
                        "timed out after " + timeout.toSeconds() + " s; " + err.getNow("")), timeout.toMillis() / 1e3);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            return new Timed(new ExecResult(argv, p.exitValue(), out.join(), err.join()), seconds);
        } catch (InterruptedException e) {
            end(p);
            Thread.currentThread().interrupt();
            return new Timed(new ExecResult(argv, 130, "", "interrupted"), 0);
        } finally {
            LIVE.remove(p);
        }
    }

    static Timed run(List<String> argv, Duration timeout) {
        return run(argv, null, timeout);
    }

    /** Starts a process whose output the caller reads; it is ended on JVM exit unless {@link #end} ran first. */
    static Process start(List<String> argv) {
        try {
            Process p = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            LIVE.add(p);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGTERM, then SIGKILL after two seconds: only this process, by its pid. */
    static void end(Process p) {
        LIVE.remove(p);
        if (p.isAlive()) {
            Commands.stop(p, Duration.ofSeconds(2));
        }
    }

    /**
     * The stream's text exactly as printed (CR LF and a missing last newline kept: callers compare
     * what curl -w prints), each complete line also handed to {@code lines} as it comes.
     */
    private static CompletableFuture<String> drain(InputStream s, Consumer<String> lines) {
        return CompletableFuture.supplyAsync(() -> {
            StringBuilder all = new StringBuilder();
            StringBuilder line = new StringBuilder();
            char[] buf = new char[8192];
            try (InputStreamReader r = new InputStreamReader(s, StandardCharsets.UTF_8)) {
                for (int n = r.read(buf); n >= 0; n = r.read(buf)) {
                    all.append(buf, 0, n);
                    for (int i = 0; i < n; i++) {
                        if (buf[i] == '\n') {
                            lines.accept(line.toString().replaceFirst("\r$", ""));
                            line.setLength(0);
                        } else {
                            line.append(buf[i]);
                        }
                    }
                }
            } catch (IOException e) {
                // the process ended: what was read is what there is
            }
            if (line.length() > 0) {
                lines.accept(line.toString());
            }
            return all.toString();
        });
    }
}
