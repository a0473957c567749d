package dev.loxiharness.harness.netns;

import dev.loxiharness.exec.Commands;
import dev.loxiharness.exec.ExecResult;
import dev.loxiharness.harness.docker.Containers;
import dev.loxiharness.harness.kind.ClusterLayout;
import dev.loxiharness.harness.kind.ClusterRuntime;
import dev.loxiharness.harness.kind.KindTopology;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The kind cluster's runtime on the local Docker engine: node containers are the topology's
 * container nodes (created with kind's settings by {@link dev.loxiharness.harness.kind.KindTopology},
 * wired by the fabric like every container node), images go in by {@code docker save} into a
 * folder every node has bound read-only, and {@code ctr -n k8s.io images import} there (copying
 * the tar into each node cost 19 s per node for a 420 MB image).
 */
final class DockerClusterRuntime implements ClusterRuntime {
    /** kind's sign that a node booted (kind's pkg/cluster/internal/providers/common). */
    private static final Pattern BOOTED = Pattern.compile("Reached target .*Multi-User System.*|detected cgroup v1");
    private static final String TAR = "kind-images.tar";

    private final NetnsTopology topo;

    DockerClusterRuntime(NetnsTopology topo) {
        this.topo = topo;
    }

    private ContainerNode node(ClusterLayout.ClusterNode n) {
        return (ContainerNode) topo.node(n.node());
    }

    @Override
    public void startNode(ClusterLayout.ClusterNode n) {
        try {
            Files.createDirectories(KindTopology.imagesDir(topo.name()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        node(n).run("init", List.of()); // a kind node: its process 1 is systemd
    }

    @Override
    public void awaitBooted(ClusterLayout.ClusterNode n, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String logs = "";
        while (System.nanoTime() < deadline) {
            logs = Containers.logs(n.container(), 200);
            if (BOOTED.matcher(logs).find()) {
                return;
            }
            if (Containers.pid(n.container()) == 0) {
                break;
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while " + n.container() + " boots", e);
            }
        }
        throw new IllegalStateException("kind node " + n.container() + " did not boot within " + timeout.toSeconds() + " s"
                + " (no 'Reached target Multi-User System' in its log; privileged containers and cgroup namespaces must work"
                + " on this engine). Its log ends:\n" + tail(logs, 20));
    }

    @Override
    public void copyFile(ClusterLayout.ClusterNode n, String path, String content) {
        Containers.copyFile(n.container(), path, content.getBytes(StandardCharsets.UTF_8), 0644);
    }

    @Override
    public ExecResult exec(ClusterLayout.ClusterNode n, Duration timeout, List<String> argv) {
        return Containers.exec(n.container(), argv, null, timeout);
    }

    @Override
    public Path saveImages(List<String> images) {
        Path tar = KindTopology.imagesDir(topo.name()).resolve(TAR);
        List<String> argv = new ArrayList<>(List.of("docker", "save", "-o", tar.toString()));
        argv.addAll(images);
        Commands.run(argv, null, Duration.ofMinutes(10)).orThrow();
        return tar;
    }

    @Override
    public void importImages(ClusterLayout.ClusterNode n, Path tar) {
        ExecResult r = Containers.exec(n.container(), List.of("ctr", "--namespace=k8s.io", "images", "import", "--all-platforms",
                "--digests", KindTopology.IMAGES_IN_NODE + "/" + tar.getFileName()), null, Duration.ofMinutes(10));
        if (!r.ok()) {
            throw new IllegalStateException("ctr images import in " + n.container() + " failed: " + r.stderr().strip());
        }
    }

    @Override
    public void dropSavedImages(Path tar) {
        try {
            Files.deleteIfExists(tar);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void removeNode(ClusterLayout.ClusterNode n) {
        node(n).unwire();
        Containers.remove(n.container());
    }

    private static String tail(String text, int lines) {
        String[] all = text.split("\n");
        return String.join("\n", List.of(all).subList(Math.max(0, all.length - lines), all.length));
    }
}
