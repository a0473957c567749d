package dev.loxiharness.harness.fault;

/**
 * The process faults of one node or pod, for code ({@code topo.fault("lb").kill("loxilb")}); each
 * returns what was done, with its time, to measure recovery from.
 */
public final class DaemonFaults {
    private final Faults faults;
    private final String target;

    DaemonFaults(Faults faults, String target) {
        this.faults = faults;
        this.target = target;
    }

    /** SIGKILL (a container node's own process: {@code docker kill}); it stays dead, except what its parent restarts (loxilb's gobgpd). */
    public FaultRecord kill(String daemon) {
        return faults.apply(target, Action.KILL, daemon);
    }

    /** SIGSTOP (a container: {@code docker pause}): frozen, its sockets open, answering nothing. */
    public FaultRecord stop(String daemon) {
        return faults.apply(target, Action.STOP, daemon);
    }

    /** SIGCONT to a stopped daemon; a dead one started again with its recorded argv ({@code docker unpause} or {@code start}). */
    public FaultRecord start(String daemon) {
        return faults.apply(target, Action.START, daemon);
    }

    /** SIGTERM (SIGKILL after 3 s) and started again with its recorded argv ({@code docker restart}); a child waits for its parent to start it. */
    public FaultRecord restart(String daemon) {
        return faults.apply(target, Action.RESTART, daemon);
    }
}
