package dev.loxiharness.apiserver;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the simulated API server by hand:
 * {@code SimulatedApiServerMain --port N [--https-port N] [--kubeconfig FILE] [--service-cidr CIDR]
 * [--host ADDRESS] [--kubernetes-version 1.32.0]}.
 * It runs until interrupted (Ctrl-C or SIGTERM).
 */
public final class SimulatedApiServerMain {
    private SimulatedApiServerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (System.getProperty("slf4j.internal.verbosity") == null) {
            // without a logging backend SLF4J warns about it: the only output that would not say "simulated"
            System.setProperty("slf4j.internal.verbosity", "ERROR");
        }
        SimulatedApiServer.Builder builder = SimulatedApiServer.builder();
        Path kubeconfig = null;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--port" -> builder.port(Integer.parseInt(require(args[i], value)));
                case "--https-port" -> builder.httpsPort(Integer.parseInt(require(args[i], value)));
                case "--kubeconfig" -> kubeconfig = Path.of(require(args[i], value));
                case "--service-cidr" -> builder.serviceCidr(require(args[i], value));
                case "--host" -> builder.host(require(args[i], value));
                case "--kubernetes-version" -> builder.kubernetesVersion(require(args[i], value));
                case "-h", "--help" -> {
                    System.out.println("usage: SimulatedApiServerMain --port N [--https-port N] [--kubeconfig FILE] "
                            + "[--service-cidr CIDR] [--host ADDRESS] [--kubernetes-version 1.32.0]\n"
                            + "  runs the SIMULATED Kubernetes API server (netns backend)");
                    return;
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i] + " (try --help)");
            }
            i++;
        }
        SimulatedApiServer server = builder.start();
        if (kubeconfig != null) {
            server.writeKubeconfig(kubeconfig);
            System.out.println("kubernetes: simulated API server kubeconfig: export KUBECONFIG=" + kubeconfig.toAbsolutePath());
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "apiserver-sim-shutdown"));
        stopped.await();
    }

    private static String require(String option, String value) {
        if (value == null) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return value;
    }
}
