package dev.loxiharness.harness.backend;

/**
 * A program of a running topology that a fault can hit ({@code ./topology fault}, the JUnit
 * handle's {@code fault(node)}). It is found from what the backend recorded when it started it, a
 * process by pid or a container by name, never by matching program names across the host, so a
 * fault never hits another topology's daemon or one of the host's.
 *
 * <p>The four actions mean the same on every backend, so a chaos script runs unchanged:
 * {@link #kill} ends it at once and it stays dead; {@link #stop} freezes it (it keeps its sockets
 * and state but answers nothing, so peers see it only through their timers); {@link #start} thaws
 * a frozen one or starts a dead one again as it was first started; {@link #restart} ends it
 * gracefully and starts it again. Each returns one line saying what was done (the pid and signal,
 * or the container engine's verb), for the user's record of the fault.
 */
public interface Daemon {
    /** Its name in fault commands: {@code loxilb}, {@code gobgpd}, {@code bird}, {@code controller}, {@code nginx}. */
    String name();

    /** Where it runs, for people: {@code pid 4242 (namespace lxh-seed-lb)}, {@code container loxilb}. */
    String describe();

    /** SIGKILL (a container: {@code docker kill}); it is not started again by the harness. */
    String kill();

    /** Freezes it: SIGSTOP (a container: {@code docker pause}). */
    String stop();

    /** SIGCONT when frozen; when dead, starts it again with its recorded argv (a container: {@code docker unpause} or {@code docker start}). */
    String start();

    /** SIGTERM (SIGKILL after a grace period), then starts it again with its recorded argv (a container: {@code docker restart}). */
    String restart();
}
