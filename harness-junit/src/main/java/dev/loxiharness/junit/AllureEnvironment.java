package dev.loxiharness.junit;

import dev.loxiharness.harness.backend.Backend;
import dev.loxiharness.harness.backend.Backends;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The report's Environment panel ({@code environment.properties} in the results directory): the
 * backend, the topology file of each class, the kernel and the JDK. Written only when
 * {@code allure.results.directory} is set, i.e. when the build asked for a report.
 */
final class AllureEnvironment {
    private static final Map<String, String> ENTRIES = new TreeMap<>();

    private AllureEnvironment() {
    }

    static synchronized void record(String key, String value) {
        String dir = System.getProperty("allure.results.directory");
        if (dir == null || dir.isBlank()) {
            return;
        }
        if (ENTRIES.isEmpty()) {
            ENTRIES.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
            ENTRIES.put("kernel", System.getProperty("os.name") + " " + System.getProperty("os.version"));
            ENTRIES.put("backends available", String.join(", ", Backends.all().stream().map(Backend::name).toList()));
        }
        ENTRIES.put(key, value);
        Properties p = new Properties();
        p.putAll(ENTRIES);
        try {
            Path d = Path.of(dir);
            Files.createDirectories(d);
            try (OutputStream out = Files.newOutputStream(d.resolve("environment.properties"))) {
                p.store(out, "written by the @Topology extension");
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("allure: environment.properties not written: " + e);
        }
    }
}
