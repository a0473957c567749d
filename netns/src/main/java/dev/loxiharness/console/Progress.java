package dev.loxiharness.console;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * What long work is doing, told to a person at a terminal or to a log. Every line starts with the
 * time since this {@code Progress} began.
 *
 * <ul>
 *   <li><b>On a terminal</b> ({@link #on}: a console, {@code CI} not {@code true}, {@code TERM} not
 *       {@code dumb}): finished steps are lines, and the work under way is one live line below them,
 *       redrawn in place a few times a second (what, for how long, and how far when counted).</li>
 *   <li><b>Otherwise</b> (a pipe, a file, Maven's test runners, CI): plain lines only, short enough
 *       for a CI log: one per finished step; for a counted load one per tenth of it; for work that
 *       takes longer than {@value #PATIENCE_SECONDS} s one line saying it is still under way.</li>
 * </ul>
 *
 * <pre>
 * progress.step("namespaces: 6");                           // a finished step
 * try (Progress.Task t = progress.start("kubeadm init on node1")) {
 *     ...                                                   // live: "  3.20s  kubeadm init on node1 12.4 s |"
 *     t.done("kubeadm init on node1, join on node2");       // the step's line
 * }                                                         // closed without done (a failure): no line, the caller reports
 * try (Progress.Task load = progress.start("10,000 rules over REST", 10_000)) {
 *     load.advance(answered);                               // live: a bar; plain: a line at 10 %, 20 %, ...
 * }
 * </pre>
 */
public final class Progress {
    /** Prints nothing. */
    public static final Progress SILENT = new Progress(null, false, System::nanoTime, null);
    static final int PATIENCE_SECONDS = 10;
    static final Duration REDRAW = Duration.ofMillis(200);
    private static final char[] SPINNER = {'|', '/', '-', '\\'};
    private static final int BAR = 20;

    private final PrintStream out;
    private final boolean live;
    private final LongSupplier nanos;
    private final Duration redrawEvery;
    private final long start;
    private final List<Task> running = new ArrayList<>();
    private int width;
    private boolean liveLineShown;
    private int spin;
    private ScheduledExecutorService ticker;

    Progress(PrintStream out, boolean live, LongSupplier nanos, Duration redrawEvery) {
        this.out = out;
        this.live = live;
        this.nanos = nanos;
        this.redrawEvery = redrawEvery;
        this.start = nanos.getAsLong();
    }

    /** Progress on {@code out}: a live line when {@code out} is a terminal someone watches, plain lines otherwise. */
    public static Progress on(PrintStream out) {
        return new Progress(out, watched(System.getenv("CI"), System.getenv("TERM"), System.console() != null),
                System::nanoTime, REDRAW);
    }

    /** Plain lines on {@code out}, terminal or not (for output that is read as a log anyway). */
    public static Progress plain(PrintStream out) {
        return new Progress(out, false, System::nanoTime, REDRAW);
    }

    /** Whether a person watches: a console, not CI, and a terminal that can redraw a line. */
    static boolean watched(String ci, String term, boolean console) {
        return console && !"true".equalsIgnoreCase(ci) && term != null && !term.isEmpty() && !"dumb".equals(term);
    }

    public boolean live() {
        return live;
    }

    /** A finished step: one line. */
    public synchronized void step(String what) {
        line(what);
    }

    /** Work under way whose end is not known in advance. */
    public Task start(String what) {
        return start(what, 0);
    }

    /** Work of {@code total} units (rules, files, ...), told through {@link Task#advance}. */
    public synchronized Task start(String what, long total) {
        Task t = new Task(what, total, nanos.getAsLong());
        running.add(t);
        if (out != null && redrawEvery != null && ticker == null) {
            // a thread only while something runs: the JUnit extension makes a Progress per topology
            ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread th = new Thread(r, "progress");
                th.setDaemon(true);
                return th;
            });
            ticker.scheduleAtFixedRate(this::tick, redrawEvery.toMillis(), redrawEvery.toMillis(), TimeUnit.MILLISECONDS);
        }
        tick();
        return t;
    }

    /** Seconds since this began. */
    public double seconds() {
        return (nanos.getAsLong() - start) / 1e9;
    }

    /** Redraws the live line, or in plain mode says once that a long task is still under way. */
    synchronized void tick() {
        if (out == null || running.isEmpty()) {
            return;
        }
        if (live) {
            Task t = running.get(running.size() - 1);
            String state = " " + t.liveState() + " " + SPINNER[spin++ % SPINNER.length];
            String prefix = prefix();
            // a line longer than the terminal would wrap, and \r would redraw only its last part:
            // shorten what it says, keep how far and for how long
            int room = Math.max(10, width() - 1 - prefix.length() - state.length());
            String what = t.what.length() <= room ? t.what : t.what.substring(0, room - 3) + "...";
            out.print("\r\u001b[2K" + prefix + what + state);
            out.flush();
            liveLineShown = true;
            return;
        }
        for (Task t : running) {
            if (!t.toldUnderWay && t.total == 0 && t.secondsSoFar() >= PATIENCE_SECONDS) {
                t.toldUnderWay = true;
                line(t.what + " ... (under way for " + PATIENCE_SECONDS + " s)");
            }
        }
    }

    private void line(String what) {
        if (out == null) {
            return;
        }
        clearLiveLine();
        out.println(prefix() + what);
        out.flush();
        if (live && !running.isEmpty()) {
            tick();
        }
    }

    private void clearLiveLine() {
        if (liveLineShown) {
            out.print("\r\u001b[2K");
            liveLineShown = false;
        }
    }

    private synchronized void ended(Task t) {
        running.remove(t);
        if (running.isEmpty()) {
            if (ticker != null) {
                ticker.shutdownNow();
                ticker = null;
            }
            if (out != null) {
                clearLiveLine();
                out.flush();
            }
        } else {
            tick();
        }
    }

    private String prefix() {
        return String.format(Locale.ROOT, "  %5.2fs  ", seconds());
    }

    /** Fixes the terminal's width (tests), instead of asking the terminal. */
    void width(int columns) {
        width = columns;
    }

    /** The terminal's width: {@code COLUMNS}, else {@code stty size} on the terminal, else 80. */
    private int width() {
        if (width == 0) {
            width = 80;
            try {
                String columns = System.getenv("COLUMNS");
                if (columns != null && columns.matches("\\d+")) {
                    width = Integer.parseInt(columns);
                } else {
                    Process p = new ProcessBuilder("stty", "size").redirectInput(new File("/dev/tty"))
                            .redirectError(ProcessBuilder.Redirect.DISCARD).start();
                    String[] rc = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip().split(" ");
                    if (p.waitFor(2, TimeUnit.SECONDS) && rc.length == 2 && rc[1].matches("\\d+")) {
                        width = Math.max(20, Integer.parseInt(rc[1]));
                    }
                }
            } catch (IOException e) {
                // no terminal to ask: 80
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return width;
    }

    /** One piece of work under way; closing it ends it (with the line of {@link #done}, if called). */
    public final class Task implements AutoCloseable {
        private final String what;
        private final long total;
        private final long began;
        private long done;
        private int tenthsTold;
        private boolean toldUnderWay;
        private boolean closed;

        private Task(String what, long total, long began) {
            this.what = what;
            this.total = total;
            this.began = began;
        }

        /** How many of the total units are done so far. */
        public void advance(long unitsDone) {
            synchronized (Progress.this) {
                done = Math.min(unitsDone, total);
                if (!live && total > 0 && out != null) {
                    int tenths = (int) (done * 10 / total);
                    if (tenths > tenthsTold && tenths < 10) {
                        tenthsTold = tenths;
                        line(String.format(Locale.ROOT, "%s: %d %% (%,d of %,d)", what, tenths * 10, done, total));
                    }
                }
            }
        }

        /** Ends the work with its step line. */
        public void done(String result) {
            synchronized (Progress.this) {
                if (!closed) {
                    closed = true;
                    ended(this);
                    line(result);
                }
            }
        }

        /** Ends the work; without {@link #done} no line: the caller tells how it failed. */
        @Override
        public void close() {
            synchronized (Progress.this) {
                if (!closed) {
                    closed = true;
                    ended(this);
                }
            }
        }

        /** Seconds since it started. */
        public double secondsSoFar() {
            return (nanos.getAsLong() - began) / 1e9;
        }

        private String liveState() {
            String time = String.format(Locale.ROOT, "%.1f s", secondsSoFar());
            if (total == 0) {
                return time;
            }
            int filled = (int) (done * BAR / total);
            return String.format(Locale.ROOT, "[%s%s] %3d %% %,d/%,d %s", "#".repeat(filled), ".".repeat(BAR - filled),
                    done * 100 / total, done, total, time);
        }
    }
}
