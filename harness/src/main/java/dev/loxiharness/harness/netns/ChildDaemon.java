package dev.loxiharness.harness.netns;

import dev.loxiharness.harness.backend.Daemon;
import dev.loxiharness.harness.state.Processes;
import dev.loxiharness.harness.state.StateDir;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A process that a daemon runs itself and that the ledger therefore does not name: the Java
 * loxilb's gobgpd. It is found as a direct child of the recorded parent's pid, named by its
 * program ({@code /proc/PID/comm}), and only its parent starts it: the Java loxilb restarts gobgpd
 * within a second whenever it ends, so {@code kill} is followed by a new gobgpd, and
 * {@code restart} waits for that one.
 */
final class ChildDaemon implements Daemon {
    /** How long the parent may take to start a child again (the Java loxilb's supervisor: about 50 ms). */
    static final Duration RESTARTED = Duration.ofSeconds(10);

    private final String parent;
    private final long parentPid;
    private final StateDir.ProcessRecord self;

    private ChildDaemon(String parent, long parentPid, StateDir.ProcessRecord self) {
        this.parent = parent;
        this.parentPid = parentPid;
        this.self = self;
    }

    /**
     * The children of {@code parentPid} (daemon {@code parent}) running now, each named by its
     * program; a child running its parent's own program (a server's forked copy, such as socat's
     * one per connection) is part of the parent, not a daemon of its own.
     */
    static List<Daemon> childrenOf(String parent, long parentPid) {
        String parentProgram = Processes.command(parentPid);
        return Processes.children(parentPid).stream().map(pid -> child(parent, parentPid, pid)).flatMap(Optional::stream)
                .filter(c -> !c.name().equals(parentProgram)).map(Daemon.class::cast).toList();
    }

    private static Optional<ChildDaemon> child(String parent, long parentPid, long pid) {
        String name = Processes.command(pid);
        return Processes.startTime(pid).filter(t -> !name.isEmpty())
                .map(t -> new ChildDaemon(parent, parentPid, new StateDir.ProcessRecord(pid, t, name, "", null, null)));
    }

    @Override
    public String name() {
        return self.what();
    }

    @Override
    public String describe() {
        return "pid " + self.pid() + " (child of " + parent + " pid " + parentPid + ")";
    }

    @Override
    public String kill() {
        requireAlive("kill");
        Processes.signal(self.pid(), "KILL");
        Signals.awaitGone(self);
        return "SIGKILL pid " + self.pid() + " (" + parent + " starts it again if it supervises it)";
    }

    @Override
    public String stop() {
        requireAlive("stop");
        Processes.signal(self.pid(), "STOP");
        return "SIGSTOP pid " + self.pid() + " (frozen; start sends SIGCONT)";
    }

    @Override
    public String start() {
        requireAlive("start");
        if (Processes.state(self.pid()).filter("T"::equals).isEmpty()) {
            return "pid " + self.pid() + " runs already: nothing done";
        }
        Processes.signal(self.pid(), "CONT");
        return "SIGCONT pid " + self.pid();
    }

    /** SIGTERM, then waits for the parent to start a new one: the harness cannot start what the parent owns. */
    @Override
    public String restart() {
        requireAlive("restart");
        long t0 = System.nanoTime();
        Processes.signal(self.pid(), "CONT");
        Processes.signal(self.pid(), "TERM");
        Signals.awaitGone(self);
        Optional<Daemon> next = Optional.empty();
        boolean started = Signals.await(() -> childrenOf(parent, parentPid).stream().anyMatch(this::successor), RESTARTED);
        if (started) {
            next = childrenOf(parent, parentPid).stream().filter(this::successor).findFirst();
        }
        if (next.isEmpty()) {
            throw new IllegalStateException("SIGTERM pid " + self.pid() + ": " + parent + " (pid " + parentPid + ") did not start "
                    + name() + " again within " + RESTARTED.toSeconds() + " s; only " + parent + " starts it (restart " + parent + ")");
        }
        return String.format("SIGTERM pid %d; %s started it again: %s after %.2f s", self.pid(), parent, next.get().describe(),
                (System.nanoTime() - t0) / 1e9);
    }

    private boolean successor(Daemon d) {
        return d.name().equals(name()) && d instanceof ChildDaemon c && c.self.pid() != self.pid();
    }

    private void requireAlive(String action) {
        if (!Processes.alive(self)) {
            throw new IllegalStateException("cannot " + action + " " + name() + ": pid " + self.pid() + " is not running; only its parent "
                    + parent + " (pid " + parentPid + ") starts it");
        }
    }
}
