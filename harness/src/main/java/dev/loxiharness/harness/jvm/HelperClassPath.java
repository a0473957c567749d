package dev.loxiharness.harness.jvm;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The class path of the JVMs the harness starts from its own classes: the simulated Kubernetes
 * agent, the container watch and the class-data archive maker.
 *
 * <p>Under {@code ./topology} that is this JVM's, one jar: {@code harness.jar}, whose manifest names
 * its dependencies in {@code lib/} beside it. Tests run the harness from its library jar among many
 * entries, which no class-data archive can cover (the JVM archives no classes from directories); the
 * helpers then run from the {@code harness.jar} built beside that library jar, when it is at least
 * as new, and start from the same archive as under the CLI. Anywhere else (classes in a directory, as
 * an IDE runs them, or the library from a Maven repository) they run on this JVM's class path.
 */
public final class HelperClassPath {
    static final String CLI_JAR = "harness.jar";

    private HelperClassPath() {
    }

    public static String get() {
        String own = System.getProperty("java.class.path", "");
        return cliJarBesideLibrary().map(Path::toString).orElse(own);
    }

    /** Whether {@link #get} is one jar, so that a class-data archive can serve it. */
    static Optional<Path> singleJar() {
        String cp = get();
        return cp.contains(File.pathSeparator) || !cp.endsWith(".jar") ? Optional.empty() : Optional.of(Path.of(cp).toAbsolutePath());
    }

    private static Optional<Path> cliJarBesideLibrary() {
        Path source;
        try {
            source = Path.of(HelperClassPath.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException | RuntimeException e) {
            return Optional.empty();
        }
        if (!Files.isRegularFile(source) || source.getFileName().toString().equals(CLI_JAR)) {
            return Optional.empty();
        }
        Path cli = source.resolveSibling(CLI_JAR);
        try {
            return Files.isRegularFile(cli) && Files.isDirectory(cli.resolveSibling("lib"))
                    && Files.getLastModifiedTime(cli).compareTo(Files.getLastModifiedTime(source)) >= 0
                    ? Optional.of(cli.toAbsolutePath()) : Optional.empty();
        } catch (java.io.IOException e) {
            return Optional.empty();
        }
    }
}
