package dev.loxiharness.harness.kind;

import dev.loxiharness.console.Progress;
import dev.loxiharness.exec.ExecResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * kind's own bring-up, step by step, over a {@link ClusterRuntime}: node containers started and
 * wired, booted, each given its {@code /kind/kubeadm.conf}, images imported from the local Docker,
 * {@code kubeadm init} on the control plane (its taint and the exclude-from-load-balancers label
 * removed when it is the only node, as kind does), {@code kubeadm join} on the workers, then Calico
 * from the patched release manifest, the cluster's BGP configuration, the topology's manifests and
 * the loxi-ccm deployment, waiting for each to be ready. kubectl runs in the control plane with its
 * admin kubeconfig: the API is never published on a host port.
 *
 * <p>A step that fails stops the sequence; the node containers started so far are removed (in
 * reverse order) and the failure names the step and what the node printed.
 */
public final class KindBringUp {
    public static final String ADMIN_KUBECONFIG = "/etc/kubernetes/admin.conf";
    /** Where a node's {@code birdc} is: a wrapper that runs Calico's birdcl in the node's calico-node container. */
    public static final String BIRDC = "/usr/local/bin/birdc";
    private static final String BIRDC_WRAPPER = resource("/kind/birdc");
    private static final Duration BOOT = Duration.ofSeconds(60);
    private static final Duration KUBEADM = Duration.ofMinutes(4);
    private static final Duration READY = Duration.ofMinutes(4);

    /** What the cluster gets once it runs, rendered by the caller from the topology file. */
    public record Workload(String calicoManifest, String bgpConfiguration, List<String> manifests, String loxiCcm,
                           List<String> images) {
    }

    /** A step that failed: which, and what the node said. */
    public static final class StepFailed extends RuntimeException {
        public StepFailed(String step, String detail) {
            super("kind: " + step + " failed: " + detail);
        }
    }

    private final ClusterLayout layout;
    private final ClusterRuntime runtime;
    private final Progress progress;
    private final List<ClusterLayout.ClusterNode> started = new ArrayList<>();

    public KindBringUp(ClusterLayout layout, ClusterRuntime runtime, Progress progress) {
        this.layout = layout;
        this.runtime = runtime;
        this.progress = progress;
    }

    public void run(Workload workload) {
        try {
            startNodes();
            try (Progress.Task step = progress.start("kind: importing " + workload.images().size() + " images into "
                    + layout.nodes().size() + " node(s)")) {
                Path tar = runtime.saveImages(workload.images());
                for (ClusterLayout.ClusterNode n : layout.nodes()) {
                    runtime.copyFile(n, KubeadmConfig.PATH, KubeadmConfig.forNode(layout, n));
                    runtime.importImages(n, tar);
                }
                runtime.dropSavedImages(tar);
                step.done("kind: " + workload.images().size() + " images imported into " + layout.nodes().size()
                        + " node(s) (ctr -n k8s.io images import), kubeadm configs written");
            }
            kubeadm();
            try (Progress.Task step = progress.start("kind: Calico: calico-node rolling out, nodes becoming Ready")) {
                apply("calico", workload.calicoManifest(), List.of("create"));
                kubectl("calico-node ready", READY, "-n", "kube-system", "rollout", "status", "daemonset/calico-node",
                        "--timeout=240s");
                kubectl("nodes ready", READY, "wait", "--for=condition=Ready", "nodes", "--all", "--timeout=240s");
                for (ClusterLayout.ClusterNode n : layout.nodes()) {
                    runtime.copyFile(n, BIRDC, BIRDC_WRAPPER);
                    check("birdc in " + n.node(), n, runtime.exec(n, Duration.ofSeconds(10), List.of("chmod", "755", BIRDC)));
                }
                step.done("kind: Calico running in BGP mode on every node, nodes Ready; birdc in a node asks its calico-node");
            }
            try (Progress.Task step = progress.start("kind: applying the BGP configuration, "
                    + workload.manifests().size() + " manifest(s) and loxi-ccm")) {
                apply("bgp-configuration", workload.bgpConfiguration(), List.of("apply"));
                for (int i = 0; i < workload.manifests().size(); i++) {
                    apply("manifest-" + (i + 1), workload.manifests().get(i), List.of("apply"));
                }
                apply("loxi-ccm", workload.loxiCcm(), List.of("apply"));
                kubectl("loxi-ccm ready", READY, "-n", "kube-system", "rollout", "status", "deployment/" + LoxiCcmManifest.NAME,
                        "--timeout=240s");
                step.done("kind: BGP configuration, " + workload.manifests().size() + " manifest(s) and loxi-ccm applied");
            }
        } catch (RuntimeException e) {
            rollback();
            throw e;
        }
    }

    private void startNodes() {
        try (Progress.Task step = progress.start("kind: booting " + layout.nodes().size() + " node container(s)")) {
            for (ClusterLayout.ClusterNode n : layout.nodes()) {
                started.add(n);
                runtime.startNode(n);
            }
            for (ClusterLayout.ClusterNode n : layout.nodes()) {
                runtime.awaitBooted(n, BOOT);
            }
            step.done("kind: " + layout.nodes().size() + " node container(s) booted (" + layout.nodeImage() + "), wired to "
                    + layout.controlPlane().network());
        }
    }

    private void kubeadm() {
        ClusterLayout.ClusterNode cp = layout.controlPlane();
        try (Progress.Task step = progress.start("kind: kubeadm init on " + cp.node()
                + (layout.workers().isEmpty() ? "" : ", then join on the workers"))) {
            kubeadmInitAndJoin(cp);
            step.done("kind: kubeadm init on " + cp.node() + (layout.workers().isEmpty() ? " (single node: taint removed)"
                    : ", join on " + String.join(", ", layout.workers().stream().map(ClusterLayout.ClusterNode::node).toList())));
        }
    }

    private void kubeadmInitAndJoin(ClusterLayout.ClusterNode cp) {
        check("kubeadm init", cp, runtime.exec(cp, KUBEADM, List.of("kubeadm", "init", "--config=" + KubeadmConfig.PATH,
                "--skip-token-print", "--v=6")));
        if (layout.workers().isEmpty()) {
            kubectl("untaint control plane", Duration.ofSeconds(30), "taint", "nodes", "--all", "node-role.kubernetes.io/control-plane-");
            kubectl("label control plane", Duration.ofSeconds(30), "label", "nodes", "--all",
                    "node.kubernetes.io/exclude-from-external-load-balancers-");
        }
        for (ClusterLayout.ClusterNode w : layout.workers()) {
            check("kubeadm join " + w.node(), w, runtime.exec(w, KUBEADM, List.of("kubeadm", "join", "--config",
                    KubeadmConfig.PATH, "--v=6")));
        }
    }

    /** Writes {@code yaml} into the control plane and applies it ({@code kubectl create} for Calico's large CRDs). */
    private void apply(String name, String yaml, List<String> verb) {
        String path = "/kind/manifests/" + name + ".yaml";
        runtime.copyFile(layout.controlPlane(), path, yaml);
        List<String> args = new ArrayList<>(verb);
        args.addAll(List.of("-f", path));
        kubectl("apply " + name, Duration.ofSeconds(60), args.toArray(String[]::new));
    }

    private void kubectl(String step, Duration timeout, String... args) {
        List<String> argv = new ArrayList<>(List.of("kubectl", "--kubeconfig=" + ADMIN_KUBECONFIG));
        argv.addAll(List.of(args));
        check(step, layout.controlPlane(), runtime.exec(layout.controlPlane(), timeout, argv));
    }

    private static void check(String step, ClusterLayout.ClusterNode node, ExecResult r) {
        if (!r.ok()) {
            String out = (r.stdout() + "\n" + r.stderr()).strip();
            String[] lines = out.split("\n");
            throw new StepFailed(step, "exit " + r.exitCode() + " on " + node.node() + ": "
                    + String.join("\n", List.of(lines).subList(Math.max(0, lines.length - 15), lines.length)));
        }
    }

    private static String resource(String name) {
        try (InputStream in = KindBringUp.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void rollback() {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                runtime.removeNode(started.get(i));
            } catch (RuntimeException e) {
                progress.step("kind: could not remove " + started.get(i).container() + ": " + e.getMessage());
            }
        }
        started.clear();
    }
}
