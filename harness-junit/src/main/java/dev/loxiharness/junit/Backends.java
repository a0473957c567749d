package dev.loxiharness.junit;

import dev.loxiharness.netns.Commands;
import dev.loxiharness.netns.ExecResult;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Whether the selected backend can run here, and if not, why: the reason is what a skipped class
 * shows in Maven's output and in the report.
 */
final class Backends {
    static final String NETNS = "netns";
    static final String KIND = "kind";
    static final List<String> NETNS_TOOLS = List.of("ip", "nft", "nginx", "curl", "bird", "birdc", "gobgpd", "gobgp",
            "socat", "kubectl");
    static final List<String> JARS = List.of("loxilb/target/loxilb.jar", "controller/target/controller.jar");
    private static final Duration DOCKER_TIMEOUT = Duration.ofSeconds(10);

    private Backends() {
    }

    /** Empty when {@code backend} can run topologies here; otherwise the reason to skip. */
    static Optional<String> whyNot(String backend, Path home) {
        return switch (backend) {
            case NETNS -> whyNotNetns(home);
            case KIND -> Optional.of(whyNotKind(Settings.kindImages()));
            default -> throw new IllegalArgumentException("unknown backend '" + backend + "' in -D" + Settings.BACKEND
                    + " (netns or kind)");
        };
    }

    static Optional<String> whyNotNetns(Path home) {
        if (!isRoot()) {
            return Optional.of("netns backend: network namespaces need root (run as root, e.g. sudo ./verify)");
        }
        List<String> missing = NETNS_TOOLS.stream().filter(t -> !onPath(t) && !(t.equals("kubectl") && System.getenv("KUBECTL") != null)).toList();
        if (!missing.isEmpty()) {
            return Optional.of("netns backend: missing tools " + String.join(", ", missing) + " (bin/install-packages installs them)");
        }
        List<String> unbuilt = JARS.stream().filter(j -> !Files.isRegularFile(home.resolve(j))).toList();
        if (!unbuilt.isEmpty()) {
            return Optional.of("netns backend: not built: " + String.join(", ", unbuilt) + " (run bin/build, or mvn verify from the repository root)");
        }
        return Optional.empty();
    }

    /** The kind backend is not implemented; the reason names what else is missing for it. */
    static String whyNotKind(List<String> images) {
        if (!onPath("docker")) {
            return "kind backend: docker is not installed; it also needs the images " + String.join(", ", images)
                    + " (and the kind backend is not implemented yet)";
        }
        ExecResult version = Commands.run(List.of("docker", "version", "--format", "{{.Server.Version}}"), null, DOCKER_TIMEOUT);
        if (!version.ok()) {
            return "kind backend: the docker daemon is not reachable (" + firstLine(version.stderr()) + "); it also needs the images "
                    + String.join(", ", images) + " (and the kind backend is not implemented yet)";
        }
        List<String> missing = new ArrayList<>();
        for (String image : images) {
            if (!imagePresent(image)) {
                missing.add(image);
            }
        }
        if (!missing.isEmpty()) {
            return "kind backend: images missing: " + String.join(", ", missing) + " (docker " + version.stdout().strip()
                    + " has no such image; nothing is pulled) and the kind backend is not implemented yet";
        }
        return "kind backend not implemented yet (docker " + version.stdout().strip() + " and the images "
                + String.join(", ", images) + " are present)";
    }

    /** {@code docker image inspect}; an untagged name also matches any local tag of it. */
    static boolean imagePresent(String image) {
        if (Commands.run(List.of("docker", "image", "inspect", "--format", "{{.Id}}", image), null, DOCKER_TIMEOUT).ok()) {
            return true;
        }
        boolean tagged = image.lastIndexOf(':') > image.lastIndexOf('/') || image.contains("@");
        return !tagged && !Commands.run(List.of("docker", "image", "ls", "-q", image), null, DOCKER_TIMEOUT).stdout().isBlank();
    }

    static boolean isRoot() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("Uid:"))
                    .map(l -> l.split("\\s+")[2]).anyMatch("0"::equals);
        } catch (IOException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    static boolean onPath(String tool) {
        return dev.loxiharness.netns.Paths.onPath(tool);
    }

    private static String firstLine(String s) {
        return s.strip().lines().findFirst().orElse("no output");
    }
}
