package dev.loxiharness.harness.netns;

import dev.loxiharness.harness.backend.Daemon;
import dev.loxiharness.harness.state.Processes;
import dev.loxiharness.harness.state.StateDir;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A daemon the ledger records, acted on by its pid only while that pid is still the process that
 * was recorded (same kernel start time), and started again with the argv and log it was first
 * started with. A killed daemon keeps its record, so {@code start} can bring it back; a started
 * one replaces the record, so {@code down} ends the new process.
 */
final class RecordedDaemon implements Daemon {
    /** How long a daemon has to end on SIGTERM before SIGKILL (BIRD says goodbye to its peers). */
    static final Duration GRACE = Duration.ofSeconds(3);

    private final StateDir state;
    private final String name;
    private StateDir.ProcessRecord record;

    RecordedDaemon(StateDir state, String name, StateDir.ProcessRecord record) {
        this.state = state;
        this.name = name;
        this.record = record;
    }

    @Override
    public String name() {
        return name;
    }

    long pid() {
        return record.pid();
    }

    boolean alive() {
        return Processes.alive(record);
    }

    @Override
    public String describe() {
        String where = record.namespace().isEmpty() ? "root namespace" : "namespace " + record.namespace();
        return "pid " + record.pid() + " (" + where + (alive() ? frozen() ? ", stopped" : "" : ", not running") + ")";
    }

    private boolean frozen() {
        return Processes.state(record.pid()).filter("T"::equals).isPresent();
    }

    @Override
    public String kill() {
        requireAlive("kill");
        Processes.signal(record.pid(), "KILL");
        Signals.awaitGone(record);
        return "SIGKILL pid " + record.pid();
    }

    @Override
    public String stop() {
        requireAlive("stop");
        Processes.signal(record.pid(), "STOP");
        return "SIGSTOP pid " + record.pid() + " (frozen; start sends SIGCONT)";
    }

    @Override
    public String start() {
        if (alive()) {
            if (!frozen()) {
                return "pid " + record.pid() + " runs already: nothing done";
            }
            Processes.signal(record.pid(), "CONT");
            return "SIGCONT pid " + record.pid();
        }
        return launch();
    }

    @Override
    public String restart() {
        if (!alive()) {
            return "was not running; " + launch();
        }
        long old = record.pid();
        long t0 = System.nanoTime();
        if (frozen()) {
            Processes.signal(old, "CONT"); // a stopped process keeps SIGTERM pending
        }
        Processes.stop(record, GRACE.toMillis());
        return String.format("SIGTERM pid %d, ended after %.2f s; %s", old, (System.nanoTime() - t0) / 1e9, launch());
    }

    private String launch() {
        if (record.argv() == null || record.log() == null) {
            throw new IllegalStateException(name + " (pid " + record.pid() + ") was recorded without its argv (a ledger of an older"
                    + " harness): it cannot be started again; bring the topology up again");
        }
        StateDir.ProcessRecord old = record;
        record = Processes.start(state, old.namespace(), old.what(), old.argv(), Path.of(old.log()));
        state.forgetProcess(old.pid());
        return "started again: pid " + record.pid() + " (argv as recorded, log " + old.log() + ")";
    }

    private void requireAlive(String action) {
        if (!alive()) {
            throw new IllegalStateException("cannot " + action + " " + name + ": pid " + record.pid()
                    + " is not running (start it with: start " + name + ")");
        }
    }
}
