package dev.loxiharness.harness.backend;

import java.io.PrintStream;

/** Progress lines while a topology comes up, each with the time since the start. */
public final class Progress {
    public static final Progress SILENT = new Progress(null);

    private final PrintStream out;
    private final long start = System.nanoTime();

    public Progress(PrintStream out) {
        this.out = out;
    }

    public void step(String what) {
        if (out != null) {
            out.printf("  %5.2fs  %s%n", seconds(), what);
            out.flush();
        }
    }

    public double seconds() {
        return (System.nanoTime() - start) / 1e9;
    }
}
