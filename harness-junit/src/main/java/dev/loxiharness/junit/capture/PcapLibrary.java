package dev.loxiharness.junit.capture;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * pcap4j loads {@code libpcap.so}, which only the development package installs; where only the
 * runtime's {@code libpcap.so.0.8} is there, point pcap4j at it.
 */
final class PcapLibrary {
    static final String PROPERTY = "org.pcap4j.core.pcapLibName";
    private static final List<String> DIRS = List.of("/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu",
            "/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib", "/usr/local/lib");

    private PcapLibrary() {
    }

    static void locate() {
        if (System.getProperty(PROPERTY) != null) {
            return;
        }
        for (String d : DIRS) {
            if (Files.exists(Path.of(d, "libpcap.so"))) {
                return;
            }
        }
        for (String d : DIRS) {
            Path runtime = Path.of(d, "libpcap.so.0.8");
            if (Files.exists(runtime)) {
                System.setProperty(PROPERTY, runtime.toString());
                return;
            }
        }
    }
}
