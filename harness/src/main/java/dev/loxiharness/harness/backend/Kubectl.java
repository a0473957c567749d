package dev.loxiharness.harness.backend;

import dev.loxiharness.exec.Commands;
import dev.loxiharness.exec.ExecResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The real kubectl against a topology's API server; how it reaches it is the backend's business. */
public interface Kubectl {
    Duration TIMEOUT = Duration.ofSeconds(60);

    /** The argv of {@code kubectl ARGS}, to run with the caller's terminal. */
    List<String> argv(List<String> args);

    default ExecResult run(Duration timeout, List<String> args) {
        ExecResult r = Commands.run(argv(args), null, timeout);
        if (r.exitCode() == 127) {
            throw new IllegalStateException("kubectl not found: install the Debian package kubernetes-client "
                    + "(bin/install-packages) or set KUBECTL");
        }
        return r;
    }

    default ExecResult run(String... args) {
        return run(TIMEOUT, Arrays.asList(args));
    }

    /** kubectl of this machine (from PATH, or $KUBECTL) with a kubeconfig file. */
    static Kubectl withKubeconfig(Path kubeconfig) {
        return args -> {
            List<String> argv = new ArrayList<>(List.of(System.getenv().getOrDefault("KUBECTL", "kubectl"),
                    "--kubeconfig", kubeconfig.toString()));
            argv.addAll(args);
            return argv;
        };
    }
}
