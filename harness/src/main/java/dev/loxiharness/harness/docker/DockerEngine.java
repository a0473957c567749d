package dev.loxiharness.harness.docker;

import com.github.dockerjava.api.DockerClient;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.testcontainers.dockerclient.DockerClientProviderStrategy;
import org.testcontainers.dockerclient.TransportConfig;

/**
 * The Docker engine that container nodes run on: {@code DOCKER_HOST}, else the local socket. The
 * client is docker-java through Testcontainers' transport, made directly from the socket so no
 * Ryuk container and no start-up checks are involved (both would pull images, which hangs where no
 * registry answers); our containers carry our labels and {@code down --all} sweeps them.
 */
public final class DockerEngine {
    private static final String SOCKET = "unix:///var/run/docker.sock";
    private static final String QUIET = "org.slf4j.simpleLogger.log.org.testcontainers";
    private static DockerClient client;

    static {
        // Testcontainers' start-up lines (version, strategy, registry auth lookups) are not ours to print
        if (System.getProperty(QUIET) == null) {
            System.setProperty(QUIET, "warn");
        }
    }

    private DockerEngine() {
    }

    public static URI host() {
        String env = System.getenv("DOCKER_HOST");
        return URI.create(env == null || env.isBlank() ? SOCKET : env);
    }

    /** Empty when an engine answers; otherwise why not and what to do. */
    public static Optional<String> whyNot() {
        URI host = host();
        if ("unix".equals(host.getScheme()) && !Files.exists(Path.of(host.getPath()))) {
            return Optional.of("no Docker engine: " + host.getPath() + " does not exist (bin/start-docker starts Debian's dockerd"
                    + " with --bridge=none; bin/install-packages --containers installs it)");
        }
        try {
            client().pingCmd().exec();
            return Optional.empty();
        } catch (RuntimeException e) {
            return Optional.of("no Docker engine answers on " + host + ": " + e.getMessage() + " (bin/start-docker starts one)");
        }
    }

    /** The engine's client (one per JVM). */
    public static synchronized DockerClient client() {
        if (client == null) {
            client = DockerClientProviderStrategy.getClientForConfig(TransportConfig.builder().dockerHost(host()).build());
        }
        return client;
    }
}
