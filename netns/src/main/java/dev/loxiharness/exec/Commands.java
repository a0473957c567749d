package dev.loxiharness.exec;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs short-lived commands with a bounded wait, capturing both output streams. */
public final class Commands {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private Commands() {
    }

    public static ExecResult run(List<String> argv) {
        return run(argv, null, DEFAULT_TIMEOUT);
    }

    public static ExecResult run(List<String> argv, String stdin, Duration timeout) {
        Process p;
        try {
            p = new ProcessBuilder(argv).start();
        } catch (IOException e) {
            return new ExecResult(argv, 127, "", e.getMessage());
        }
        CompletableFuture<String> out = drain(p.getInputStream());
        CompletableFuture<String> err = drain(p.getErrorStream());
        feed(p, stdin);
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
                return new ExecResult(argv, 124, out.getNow(""), "timed out after " + timeout.toMillis() + " ms");
            }
            return new ExecResult(argv, p.exitValue(), out.join(), err.join());
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            return new ExecResult(argv, 130, "", "interrupted");
        }
    }

    /**
     * Writes {@code stdin} (nothing when null) to {@code p} and closes its input. A command that exits
     * without reading its input is no error here: its exit code tells the story.
     */
    public static void feed(Process p, String stdin) {
        try (OutputStream in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            // the command exited without reading its input; its exit code tells the story
        }
    }

    /**
     * Ends {@code p} and only it, by its pid: SIGTERM, then SIGKILL when it has not exited within
     * {@code grace}, then up to two seconds for it to go. An interrupt kills it at once and stays set.
     */
    public static void stop(Process p, Duration grace) {
        p.destroy();
        try {
            if (!p.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(2, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static CompletableFuture<String> drain(InputStream s) {
        return CompletableFuture.supplyAsync(() -> {
            try (s) {
                return new String(s.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
