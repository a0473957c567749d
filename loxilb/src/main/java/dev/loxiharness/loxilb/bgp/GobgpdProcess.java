package dev.loxiharness.loxilb.bgp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the real {@code gobgpd} and keeps it running: restarted within a second when it dies (with a
 * growing pause when it keeps dying, so a broken setup never becomes a crash loop), stopped with the
 * daemon. It is started through {@code setpriv --pdeathsig KILL} from one long-lived thread, so the
 * kernel kills it if the JVM dies without running its shutdown hooks (SIGKILL, crash).
 */
public final class GobgpdProcess implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GobgpdProcess.class);
    private static final Duration FIRST_RETRY = Duration.ofMillis(100);
    private static final Duration MAX_RETRY = Duration.ofSeconds(30);

    private final Path config;
    private final String apiHostPort;
    private final Runnable onStart;
    private final Thread supervisor;
    private volatile Process process;
    private volatile boolean stopping;

    /**
     * @param config  the gobgpd config file, or null to start without one (waiting for the REST API)
     * @param onStart run (on the supervisor thread) after each start, e.g. to re-add paths and peers
     */
    public GobgpdProcess(Path config, String apiHostPort, Runnable onStart) {
        this.config = config;
        this.apiHostPort = apiHostPort;
        this.onStart = onStart;
        this.supervisor = new Thread(this::supervise, "gobgpd-supervisor");
        this.supervisor.setDaemon(true);
    }

    public void start() {
        supervisor.start();
    }

    /** The config type gobgpd wants for a file: TOML unless the name says YAML or JSON. */
    static String configType(Path file) {
        String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".yaml") || n.endsWith(".yml") ? "yaml" : n.endsWith(".json") ? "json" : "toml";
    }

    /** gobgpd's own check of a config file ({@code --dry-run}); empty when fine, else what it said. */
    static String check(Path file) {
        try {
            Process p = new ProcessBuilder("gobgpd", "-d", "-t", configType(file), "-f", file.toString())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "gobgpd --dry-run did not finish";
            }
            return p.exitValue() == 0 ? "" : out.strip();
        } catch (IOException e) {
            return "cannot run gobgpd: " + e.getMessage() + " (install the Debian package gobgpd)";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    List<String> command() {
        List<String> cmd = new ArrayList<>(List.of("setpriv", "--pdeathsig", "KILL", "--", "gobgpd",
                "--api-hosts", apiHostPort, "--pprof-disable", "-p"));
        if (config != null) {
            cmd.addAll(List.of("-t", configType(config), "-f", config.toString()));
        }
        return cmd;
    }

    private void supervise() {
        Duration pause = FIRST_RETRY;
        while (!stopping) {
            long started = System.nanoTime();
            try {
                process = new ProcessBuilder(command()).inheritIO().start();
                LOG.info("gobgpd started (pid {}){}", process.pid(), config == null ? " without a config file" : " with " + config);
                onStart.run();
                int code = process.waitFor();
                if (stopping) {
                    break;
                }
                LOG.warn("gobgpd exited with code {}; restarting", code);
            } catch (IOException e) {
                LOG.error("cannot start gobgpd: {} (install the Debian packages gobgpd and util-linux)", e.getMessage());
            } catch (InterruptedException e) {
                if (stopping) {
                    break;
                }
            } catch (RuntimeException e) {
                LOG.error("after starting gobgpd: {}", e.getMessage(), e);
            }
            boolean quick = System.nanoTime() - started < Duration.ofSeconds(10).toNanos();
            pause = quick ? (pause.compareTo(MAX_RETRY) >= 0 ? MAX_RETRY : pause.multipliedBy(2)) : FIRST_RETRY;
            if (quick && pause.compareTo(Duration.ofSeconds(2)) > 0) {
                LOG.warn("gobgpd keeps exiting; next start in {} s", pause.toSeconds());
            }
            try {
                Thread.sleep(pause.toMillis() / 2);
            } catch (InterruptedException e) {
                if (stopping) {
                    break;
                }
            }
        }
    }

    /** The running gobgpd's pid, or -1. */
    public long pid() {
        Process p = process;
        return p != null && p.isAlive() ? p.pid() : -1;
    }

    @Override
    public void close() {
        stopping = true;
        Process p = process;
        if (p != null) {
            p.destroy();
            try {
                // gobgpd spends about a second saying goodbye to each peer; a closed TCP session tells them as much
                if (!p.waitFor(300, TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                    p.waitFor(2, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        supervisor.interrupt();
    }

    static Path firstExisting(List<Path> candidates) {
        return candidates.stream().filter(Files::isRegularFile).findFirst().orElse(null);
    }
}
