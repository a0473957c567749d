package dev.loxiharness.harness.netns;

import dev.loxiharness.harness.state.Processes;
import dev.loxiharness.harness.state.StateDir;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** The bounded waits of faults: a signalled process is gone, a supervisor started a child again. */
final class Signals {
    static final Duration GONE = Duration.ofSeconds(5);

    private Signals() {
    }

    /** Waits (at most {@link #GONE}) until the recorded process has ended, so the line printed is true when printed. */
    static void awaitGone(StateDir.ProcessRecord r) {
        if (!await(() -> !Processes.alive(r), GONE)) {
            throw new IllegalStateException("pid " + r.pid() + " still runs " + GONE.toSeconds() + " s after the signal");
        }
    }

    /** Polls {@code done} every 10 ms for at most {@code budget}; whether it became true. */
    static boolean await(BooleanSupplier done, Duration budget) {
        long deadline = System.nanoTime() + budget.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return done.getAsBoolean();
            }
        }
        return true;
    }
}
