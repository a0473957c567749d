package dev.loxiharness.harness.kube;

import dev.loxiharness.netns.Commands;
import dev.loxiharness.netns.ExecResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The real kubectl (from PATH, or $KUBECTL) against a topology's API server. */
public final class Kubectl {
    private final Path kubeconfig;

    public Kubectl(Path kubeconfig) {
        this.kubeconfig = kubeconfig;
    }

    public static String binary() {
        return System.getenv().getOrDefault("KUBECTL", "kubectl");
    }

    public List<String> argv(List<String> args) {
        List<String> argv = new ArrayList<>(List.of(binary(), "--kubeconfig", kubeconfig.toString()));
        argv.addAll(args);
        return argv;
    }

    public ExecResult run(String... args) {
        ExecResult r = Commands.run(argv(List.of(args)), null, Duration.ofSeconds(60));
        if (r.exitCode() == 127) {
            throw new IllegalStateException("kubectl not found: install the Debian package kubernetes-client "
                    + "(bin/install-packages) or set KUBECTL");
        }
        return r;
    }
}
