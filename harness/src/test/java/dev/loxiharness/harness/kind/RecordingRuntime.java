package dev.loxiharness.harness.kind;

import dev.loxiharness.exec.ExecResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A fake container runtime that records every call as one line ({@code exec node1 kubeadm init ...})
 * and keeps the set of node containers that exist, so a test sees the order of the steps and what
 * is left after a failure. A step can be made to fail by a predicate on its line.
 */
final class RecordingRuntime implements ClusterRuntime {
    final List<String> calls = new ArrayList<>();
    final Set<String> running = new LinkedHashSet<>();
    final List<String> files = new ArrayList<>();
    private final Predicate<String> fails;

    RecordingRuntime(Predicate<String> fails) {
        this.fails = fails;
    }

    private void record(String line) {
        calls.add(line);
        if (fails.test(line)) {
            throw new IllegalStateException("fake failure at: " + line);
        }
    }

    @Override
    public void startNode(ClusterLayout.ClusterNode node) {
        running.add(node.container());
        record("start " + node.node());
    }

    @Override
    public void awaitBooted(ClusterLayout.ClusterNode node, Duration timeout) {
        record("booted " + node.node());
    }

    @Override
    public void copyFile(ClusterLayout.ClusterNode node, String path, String content) {
        files.add(node.node() + ":" + path);
        record("copy " + node.node() + " " + path);
    }

    @Override
    public ExecResult exec(ClusterLayout.ClusterNode node, Duration timeout, List<String> argv) {
        String line = "exec " + node.node() + " " + String.join(" ", argv);
        calls.add(line);
        return new ExecResult(argv, fails.test(line) ? 1 : 0, "", fails.test(line) ? "fake: " + argv.get(0) + " failed" : "");
    }

    @Override
    public Path saveImages(List<String> images) {
        record("save " + String.join(" ", images));
        return Path.of("/state/kind-images.tar");
    }

    @Override
    public void importImages(ClusterLayout.ClusterNode node, Path tar) {
        record("import " + node.node());
    }

    @Override
    public void dropSavedImages(Path tar) {
        record("drop " + tar);
    }

    @Override
    public void removeNode(ClusterLayout.ClusterNode node) {
        calls.add("remove " + node.node());
        running.remove(node.container());
    }
}
