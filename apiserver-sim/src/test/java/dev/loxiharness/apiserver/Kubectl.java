package dev.loxiharness.apiserver;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real kubectl binary run against a kubeconfig. Which binaries: those listed in the environment
 * variable KUBECTL (paths separated by ':'), else {@code kubectl} and {@code kubectl-1.20} where
 * found on PATH (Debian's kubernetes-client is installed as kubectl-1.20 beside a newer kubectl).
 */
record Kubectl(Path binary, String version) {

    record Result(int exitCode, String out, String err) {
        String all() {
            return out + err;
        }
    }

    static List<Kubectl> available() {
        String configured = System.getenv("KUBECTL");
        List<Path> candidates = new ArrayList<>();
        if (configured != null && !configured.isBlank()) {
            for (String path : configured.split(":")) {
                candidates.add(Path.of(path));
            }
        } else {
            for (String name : List.of("kubectl", "kubectl-1.20")) {
                onPath(name).ifPresent(candidates::add);
            }
        }
        Map<String, Kubectl> byVersion = new LinkedHashMap<>();
        for (Path candidate : candidates) {
            String version = clientVersion(candidate);
            if (version != null) {
                byVersion.putIfAbsent(version, new Kubectl(candidate, version));
            }
        }
        return new ArrayList<>(byVersion.values());
    }

    private static Optional<Path> onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static String clientVersion(Path binary) {
        try {
            Process process = new ProcessBuilder(binary.toString(), "version", "--client").redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(20, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                return null;
            }
            Matcher m = Pattern.compile("(?:GitVersion:\"|Client Version: )(v\\d[^\"\\s]*)")
                    .matcher(out);
            return m.find() ? m.group(1) : out.trim();
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Runs kubectl with the kubeconfig and a private discovery cache, bounded to 30 s. */
    Result run(Path kubeconfig, String stdin, String... args) {
        Process process = start(kubeconfig, args);
        try {
            if (stdin != null) {
                process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            process.getOutputStream().close();
            var err = new CompletableFuture<String>();
            Thread errReader = new Thread(() -> err.complete(read(process.getErrorStream())));
            errReader.start();
            String out = read(process.getInputStream());
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("kubectl " + String.join(" ", args) + " did not finish in 30 s");
            }
            return new Result(process.exitValue(), out, err.get(5, TimeUnit.SECONDS));
        } catch (Exception e) {
            process.destroyForcibly();
            throw new IllegalStateException(e);
        }
    }

    /** Starts kubectl without waiting, for {@code get -w}; the caller ends it. */
    Process start(Path kubeconfig, String... args) {
        List<String> command = new ArrayList<>(List.of(binary.toString(), "--kubeconfig", kubeconfig.toString(),
                "--cache-dir", kubeconfig.resolveSibling("kubectl-cache-" + version).toString(), "--request-timeout", "20s"));
        command.addAll(List.of(args));
        try {
            return new ProcessBuilder(command).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public String toString() {
        return "kubectl " + version;
    }
}
