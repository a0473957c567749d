package dev.loxiharness.harness.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.RestartPolicy;
import com.github.dockerjava.api.model.StreamType;
import com.github.dockerjava.api.model.Volume;
import dev.loxiharness.exec.ExecResult;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * The Docker operations container nodes need, on docker-java: create with network mode none and
 * capabilities (never {@code --privileged} unless the topology says so), copy files in, start,
 * exec, logs, remove, and the start events of a topology's containers. Every container carries
 * the label {@value #TOPOLOGY_LABEL}, so a lost record is still found and swept.
 */
public final class Containers {
    public static final String TOPOLOGY_LABEL = "loxiharness.topology";
    public static final String NODE_LABEL = "loxiharness.node";
    /** The name of the daemon that is the container's process 1 ({@code loxilb}), for faults. */
    public static final String DAEMON_LABEL = "loxiharness.daemon";
    private static final AtomicLong STDIN_FILES = new AtomicLong();

    private Containers() {
    }

    /** What to run: the argv is the daemon the node's role starts (its first word the image's entrypoint or a program). */
    public record Spec(String name, String image, String hostname, List<String> argv, List<String> capAdd, boolean privileged,
                       List<String> securityOpt, List<String> tmpfs, Map<String, String> env, Map<String, String> labels,
                       Map<String, String> sysctls, List<String> volumes, String cgroupns) {
    }

    /** The labels of the container called {@code name}, if one exists. */
    public static Optional<Map<String, String>> existing(String name) {
        try {
            InspectContainerResponse r = docker().inspectContainerCmd(name).exec();
            return Optional.of(r.getConfig().getLabels() == null ? Map.of() : r.getConfig().getLabels());
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    /**
     * Creates (does not start) the container. When {@code argv[0]} names the image's entrypoint
     * (by path or by its last segment) the rest become the command, as {@code docker run IMAGE
     * --host=0.0.0.0 -b} passes flags to upstream's daemon; otherwise argv replaces the entrypoint;
     * an empty argv runs the image's own entrypoint and command (a kind node's init).
     */
    public static void create(Spec s) {
        List<String> entrypoint = Optional.ofNullable(docker().inspectImageCmd(s.image()).exec().getConfig())
                .map(c -> c.getEntrypoint() == null ? List.<String>of() : List.of(c.getEntrypoint())).orElse(List.of());
        String first = s.argv().isEmpty() ? null : s.argv().get(0);
        boolean isEntrypoint = first != null && !entrypoint.isEmpty() && (entrypoint.get(0).equals(first) || entrypoint.get(0).endsWith("/" + first));
        HostConfig host = HostConfig.newHostConfig()
                .withNetworkMode("none")
                .withRestartPolicy(RestartPolicy.unlessStoppedRestart())
                .withCapAdd(s.capAdd().stream().map(Capability::valueOf).toArray(Capability[]::new))
                .withPrivileged(s.privileged())
                .withSecurityOpts(s.securityOpt())
                .withSysctls(s.sysctls());
        if (!s.tmpfs().isEmpty()) {
            Map<String, String> tmpfs = new LinkedHashMap<>();
            s.tmpfs().forEach(t -> tmpfs.put(t, ""));
            host.withTmpFs(tmpfs);
        }
        if (s.cgroupns() != null) {
            host.withCgroupnsMode(s.cgroupns());
        }
        List<Volume> anonymous = s.volumes().stream().filter(v -> !v.contains(":")).map(Volume::new).toList();
        host.withBinds(s.volumes().stream().filter(v -> v.contains(":")).map(Bind::parse).toList());
        CreateContainerCmd cmd = docker().createContainerCmd(s.image())
                .withVolumes(anonymous)
                .withName(s.name())
                .withHostName(s.hostname())
                .withLabels(s.labels())
                .withEnv(s.env().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList())
                .withHostConfig(host);
        if (isEntrypoint) {
            cmd.withCmd(s.argv().subList(1, s.argv().size()));
        } else if (first != null) {
            cmd.withEntrypoint(s.argv()).withCmd(List.of());
        }
        cmd.exec();
    }

    public static void start(String name) {
        docker().startContainerCmd(name).exec();
    }

    /** {@code docker kill}: SIGKILL to its process 1; its restart policy then leaves it stopped, as after {@code docker stop}. */
    public static void kill(String name) {
        docker().killContainerCmd(name).withSignal("KILL").exec();
    }

    /** {@code docker pause}: every process of it frozen (the freezer cgroup), its namespace and links kept. */
    public static void pause(String name) {
        docker().pauseContainerCmd(name).exec();
    }

    public static void unpause(String name) {
        docker().unpauseContainerCmd(name).exec();
    }

    /** {@code docker restart}: SIGTERM, SIGKILL after {@code graceSeconds}, then start. */
    public static void restart(String name, int graceSeconds) {
        docker().restartContainerCmd(name).withTimeout(graceSeconds).exec();
    }

    /** Whether it runs: {@code running}, {@code paused}, {@code exited}, {@code created}, ...; {@code absent} when there is none. */
    public static String state(String name) {
        try {
            InspectContainerResponse.ContainerState st = docker().inspectContainerCmd(name).exec().getState();
            return Boolean.TRUE.equals(st.getPaused()) ? "paused" : st.getStatus() == null ? "unknown" : st.getStatus();
        } catch (NotFoundException e) {
            return "absent";
        }
    }

    /** The pid of the container's first process, 0 when it is not running. */
    public static long pid(String name) {
        try {
            Long pid = docker().inspectContainerCmd(name).exec().getState().getPidLong();
            return pid == null ? 0 : pid;
        } catch (NotFoundException e) {
            return 0;
        }
    }

    /** Writes one file into the container (running or not), with its parent folders; mode e.g. 0644. */
    public static void copyFile(String name, String path, byte[] content, int mode) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            String rel = path.replaceFirst("^/+", "");
            StringBuilder dir = new StringBuilder();
            String[] parts = rel.split("/");
            for (int i = 0; i < parts.length - 1; i++) {
                dir.append(parts[i]).append('/');
                TarArchiveEntry d = new TarArchiveEntry(dir.toString());
                d.setMode(040755);
                tar.putArchiveEntry(d);
                tar.closeArchiveEntry();
            }
            TarArchiveEntry e = new TarArchiveEntry(rel);
            e.setSize(content.length);
            e.setMode(0100000 | mode);
            tar.putArchiveEntry(e);
            tar.write(content);
            tar.closeArchiveEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        docker().copyArchiveToContainerCmd(name).withRemotePath("/")
                .withTarInputStream(new ByteArrayInputStream(bytes.toByteArray())).exec();
    }

    /**
     * Runs {@code cmd} in the running container ({@code docker exec}), bounded by {@code timeout}.
     * Standard input, when given, is copied in as a file first (docker-java's exec input never
     * ends, so a program reading it would wait for ever).
     */
    public static ExecResult exec(String name, List<String> cmd, String stdin, Duration timeout) {
        List<String> argv = cmd;
        if (stdin != null) {
            String file = "/tmp/.loxiharness-stdin-" + STDIN_FILES.incrementAndGet();
            copyFile(name, file, stdin.getBytes(StandardCharsets.UTF_8), 0600);
            argv = new ArrayList<>(List.of("sh", "-c", "\"$0\" \"$@\" < " + file + "; rc=$?; rm -f " + file + "; exit $rc"));
            argv.addAll(cmd);
        }
        List<String> shown = new ArrayList<>(List.of("docker", "exec", name));
        shown.addAll(cmd);
        String id;
        try {
            id = docker().execCreateCmd(name).withCmd(argv.toArray(String[]::new)).withAttachStdout(true).withAttachStderr(true)
                    .exec().getId();
        } catch (DockerException e) {
            return new ExecResult(shown, 126, "", "docker exec: " + e.getMessage());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ResultCallback.Adapter<Frame> cb = new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Frame f) {
                (f.getStreamType() == StreamType.STDERR ? err : out).writeBytes(f.getPayload());
            }
        };
        try (ResultCallback.Adapter<Frame> running = docker().execStartCmd(id).exec(cb)) {
            if (!running.awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                return new ExecResult(shown, 124, out.toString(StandardCharsets.UTF_8),
                        err.toString(StandardCharsets.UTF_8) + "\n(timed out after " + timeout.toMillis() + " ms)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ExecResult(shown, 130, out.toString(StandardCharsets.UTF_8), "interrupted");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Long code = docker().inspectExecCmd(id).exec().getExitCodeLong();
        return new ExecResult(shown, code == null ? -1 : code.intValue(), out.toString(StandardCharsets.UTF_8),
                err.toString(StandardCharsets.UTF_8));
    }

    /** Starts {@code cmd} in the running container in the background ({@code docker exec -d}), its output into {@code log}. */
    public static void execDetached(String name, List<String> cmd, String log) {
        List<String> argv = new ArrayList<>(List.of("sh", "-c", "exec \"$0\" \"$@\" >>" + log + " 2>&1"));
        argv.addAll(cmd);
        String id = docker().execCreateCmd(name).withCmd(argv.toArray(String[]::new)).exec().getId();
        docker().execStartCmd(id).withDetach(true).exec(new ResultCallback.Adapter<>());
    }

    /** The last {@code lines} lines the container's main process printed ({@code docker logs --tail}). */
    public static String logs(String name, int lines) {
        StringBuilder sb = new StringBuilder();
        try (ResultCallback.Adapter<Frame> cb = docker().logContainerCmd(name).withStdOut(true).withStdErr(true)
                .withTail(lines).exec(new ResultCallback.Adapter<>() {
                    @Override
                    public void onNext(Frame f) {
                        synchronized (sb) {
                            sb.append(new String(f.getPayload(), StandardCharsets.UTF_8));
                        }
                    }
                })) {
            cb.awaitCompletion(10, TimeUnit.SECONDS);
        } catch (NotFoundException e) {
            return "(no container " + name + ")";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (sb) {
            return sb.toString().stripTrailing();
        }
    }

    /** Removes the container with force (and its anonymous volumes); true if there was one. */
    public static boolean remove(String name) {
        try {
            docker().removeContainerCmd(name).withForce(true).withRemoveVolumes(true).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    /** Names of the containers (running or not) whose {@value #TOPOLOGY_LABEL} starts with {@code prefix}. */
    public static List<String> labelled(String prefix) {
        List<String> names = new ArrayList<>();
        for (Container c : docker().listContainersCmd().withShowAll(true).withLabelFilter(List.of(TOPOLOGY_LABEL)).exec()) {
            String topology = c.getLabels().getOrDefault(TOPOLOGY_LABEL, "");
            if (topology.startsWith(prefix) && c.getNames() != null && c.getNames().length > 0) {
                names.add(c.getNames()[0].replaceFirst("^/", ""));
            }
        }
        return names;
    }

    /**
     * From now on calls {@code started} or {@code died} with the name of each container of
     * {@code topology} that starts or whose process ends (stop, kill, crash); close to stop, or
     * wait on {@code awaitCompletion()}, which returns when the engine ends the stream.
     */
    public static ResultCallback.Adapter<Event> onStartAndDie(String topology, Consumer<String> started, Consumer<String> died) {
        return docker().eventsCmd().withEventTypeFilter("container").withEventFilter("start", "die")
                .withLabelFilter(Map.of(TOPOLOGY_LABEL, topology))
                .exec(new ResultCallback.Adapter<Event>() {
                    @Override
                    public void onNext(Event e) {
                        String name = e.getActor().getAttributes().get("name");
                        ("start".equals(e.getAction()) ? started : died).accept(name);
                    }
                });
    }

    private static DockerClient docker() {
        return DockerEngine.client();
    }
}
