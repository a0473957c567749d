package dev.loxiharness.harness.state;

import dev.loxiharness.exec.Commands;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Long-running processes of a topology: started in their node's namespace in a session of their
 * own (they outlive the CLI that started them, and Ctrl-C in its terminal does not reach them),
 * recorded before anything else happens, and ended by pid, never by name.
 */
public final class Processes {
    private Processes() {
    }

    /** The kernel's start time of {@code pid} (field 22 of /proc/PID/stat), empty if there is no such process. */
    public static Optional<String> startTime(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Optional.of(f[19]);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * Starts {@code argv} in a session of its own, recorded in {@code state} as running in
     * {@code where} (a node's namespace; "" for the harness's own processes in the root namespace:
     * the simulated control plane, a loopback-to-socket relay, which talk to nothing but loopback
     * and files). {@code argv} is what runs it there, e.g. {@code ip netns exec NS ...}.
     */
    public static StateDir.ProcessRecord start(StateDir state, String where, String what, List<String> argv, Path log) {
        List<String> detached = new ArrayList<>(List.of("setsid"));
        detached.addAll(argv);
        try {
            Process p = new ProcessBuilder(detached)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            StateDir.ProcessRecord r = new StateDir.ProcessRecord(p.pid(), startTime(p.pid()).orElse("?"), what, where,
                    List.copyOf(argv), log.toString());
            state.recordProcess(r);
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + what + ": " + e.getMessage(), e);
        }
    }

    /** Whether the recorded process still runs: same pid, same start time, and not a zombie waiting for its parent. */
    public static boolean alive(StateDir.ProcessRecord r) {
        try {
            String stat = Files.readString(Path.of("/proc/" + r.pid() + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return !f[0].equals("Z") && !f[0].equals("X") && f[19].equals(r.startTime());
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The kernel's state letter of {@code pid} ({@code R}, {@code S}, {@code T} when stopped by
     * SIGSTOP, ...), empty if there is no such process.
     */
    public static Optional<String> state(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return Optional.of(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[0]);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The program name the kernel shows for {@code pid} ({@code /proc/PID/comm}), "" if there is no such process. */
    public static String command(long pid) {
        try {
            return Files.readString(Path.of("/proc/" + pid + "/comm")).strip();
        } catch (IOException e) {
            return "";
        }
    }

    /** The direct children of {@code pid}, from the kernel's list of each of its threads. */
    public static List<Long> children(long pid) {
        List<Long> out = new ArrayList<>();
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path t : tasks.toList()) {
                for (String c : Files.readString(t.resolve("children")).trim().split("\\s+")) {
                    if (!c.isEmpty()) {
                        out.add(Long.parseLong(c));
                    }
                }
            }
        } catch (IOException | UncheckedIOException e) {
            // gone meanwhile: no children
        }
        return out;
    }

    /**
     * Sends {@code signal} ({@code KILL}, {@code TERM}, {@code STOP}, {@code CONT}) to {@code pid},
     * with kill(1): the JDK can send only TERM and KILL. The caller has checked that the pid is
     * still the process it means (same start time).
     */
    public static void signal(long pid, String signal) {
        Commands.run(List.of("kill", "-s", signal, Long.toString(pid))).orThrow();
    }

    /** SIGTERM, then SIGKILL after {@code graceMillis}; only if the pid is still the process we started. */
    public static void stop(StateDir.ProcessRecord r, long graceMillis) {
        if (!alive(r)) {
            return;
        }
        Optional<ProcessHandle> h = ProcessHandle.of(r.pid());
        if (h.isEmpty()) {
            return;
        }
        h.get().destroy();
        long deadline = System.currentTimeMillis() + graceMillis;
        while (alive(r) && System.currentTimeMillis() < deadline) {
            sleep(10);
        }
        if (alive(r)) {
            h.get().destroyForcibly();
            long hard = System.currentTimeMillis() + 2000;
            while (alive(r) && System.currentTimeMillis() < hard) {
                sleep(10);
            }
        }
    }

    /** Stops all of them together: SIGTERM to each, one shared grace period, then SIGKILL to those left. */
    public static void stopAll(List<StateDir.ProcessRecord> records, long graceMillis) {
        List<StateDir.ProcessRecord> live = records.stream().filter(Processes::alive).toList();
        live.forEach(r -> ProcessHandle.of(r.pid()).ifPresent(ProcessHandle::destroy));
        long deadline = System.currentTimeMillis() + graceMillis;
        while (live.stream().anyMatch(Processes::alive) && System.currentTimeMillis() < deadline) {
            sleep(10);
        }
        live.stream().filter(Processes::alive).forEach(r -> ProcessHandle.of(r.pid()).ifPresent(ProcessHandle::destroyForcibly));
        long hard = System.currentTimeMillis() + 2000;
        while (live.stream().anyMatch(Processes::alive) && System.currentTimeMillis() < hard) {
            sleep(10);
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Ends the harness's own helpers of topologies named {@code name...} that no ledger names any
     * more (the simulated control plane, the socket relay, the container watch): when a state
     * folder was lost, nothing else finds them. A process is ours when an argument is inside that
     * topology's state folder, or it runs one of our classes with our state root and that topology
     * as its last argument. Returns what was ended.
     */
    public static List<String> stopOrphans(String name) {
        String folder = StateDir.ROOT + "/" + name;
        List<String> ended = new ArrayList<>();
        long self = ProcessHandle.current().pid();
        ProcessHandle.allProcesses().filter(p -> p.pid() != self).forEach(p -> {
            List<String> args = cmdline(p.pid());
            boolean inFolder = args.stream().anyMatch(a -> a.contains(folder) && !a.startsWith("-D"));
            boolean agent = args.contains("-Dloxiharness.state=" + StateDir.ROOT) && args.size() > 1
                    && args.get(args.size() - 2).startsWith("dev.loxiharness.harness.") && args.get(args.size() - 1).startsWith(name);
            if (inFolder || agent) {
                p.destroy();
                try {
                    p.onExit().get(200, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (ExecutionException | TimeoutException e) {
                    p.destroyForcibly();
                }
                ended.add("process " + p.pid() + " (" + String.join(" ", args.subList(Math.max(0, args.size() - 2), args.size())) + ")");
            }
        });
        return ended;
    }

    private static List<String> cmdline(long pid) {
        try {
            String raw = Files.readString(Path.of("/proc/" + pid + "/cmdline"));
            return raw.isEmpty() ? List.of() : List.of(raw.split("\u0000"));
        } catch (IOException | UncheckedIOException e) {
            return List.of();
        }
    }
}
