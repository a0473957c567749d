package dev.loxiharness.harness.netns;

import dev.loxiharness.harness.backend.Daemon;
import dev.loxiharness.harness.docker.Containers;

/**
 * A container node's own process (process 1, e.g. the loxilb of {@code seed-docker.yaml}): faults
 * go through the container engine, so the container's life is what the seed's own
 * {@code docker stop}/{@code docker start} make of it. Stop and start freeze and thaw it
 * ({@code docker pause}/{@code unpause}), as SIGSTOP/SIGCONT do to a process; after a kill or a
 * restart the container watch wires its new namespace again.
 */
final class ContainerDaemon implements Daemon {
    static final int GRACE_SECONDS = 3;

    private final String container;
    private final String name;

    ContainerDaemon(String container, String name) {
        this.container = container;
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String describe() {
        long pid = Containers.pid(container);
        return "container " + container + " (" + Containers.state(container) + (pid > 0 ? ", process 1 is pid " + pid + " on the host" : "") + ")";
    }

    @Override
    public String kill() {
        long pid = requireRunning("kill");
        Containers.kill(container);
        return "docker kill " + container + " (SIGKILL to pid " + pid + "; it stays stopped, its links cut)";
    }

    @Override
    public String stop() {
        long pid = requireRunning("stop");
        Containers.pause(container);
        return "docker pause " + container + " (pid " + pid + " and its children frozen; start unpauses)";
    }

    @Override
    public String start() {
        String state = Containers.state(container);
        switch (state) {
            case "paused" -> {
                Containers.unpause(container);
                return "docker unpause " + container + " (pid " + Containers.pid(container) + ")";
            }
            case "running" -> {
                return container + " runs already: nothing done";
            }
            default -> {
                Containers.start(container);
                return "docker start " + container + " (was " + state + "; now pid " + Containers.pid(container)
                        + "; the container watch wires it again)";
            }
        }
    }

    @Override
    public String restart() {
        long old = Containers.pid(container);
        if (Containers.state(container).equals("paused")) {
            Containers.unpause(container);
        }
        Containers.restart(container, GRACE_SECONDS);
        return "docker restart " + container + " (pid " + old + " ended, now pid " + Containers.pid(container)
                + "; the container watch wires it again)";
    }

    private long requireRunning(String action) {
        String state = Containers.state(container);
        if (!state.equals("running")) {
            throw new IllegalStateException("cannot " + action + " " + name + ": container " + container + " is " + state
                    + " (start it with: start " + name + ")");
        }
        return Containers.pid(container);
    }
}
