package dev.loxiharness.harness.docker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The Debian mirror this machine's apt uses (so debootstrap fetches from where apt already does). */
final class DebianMirror {
    static final String DEFAULT = "http://deb.debian.org/debian";

    private DebianMirror() {
    }

    static String configured() {
        return fromDeb822(read(Path.of("/etc/apt/sources.list.d/debian.sources")))
                .or(() -> fromOneLine(read(Path.of("/etc/apt/sources.list"))))
                .orElse(DEFAULT);
    }

    /** The first {@code URIs:} of a stanza whose suites include bookworm (not -security, not -updates). */
    static Optional<String> fromDeb822(List<String> lines) {
        String uri = null;
        boolean bookworm = false;
        for (String raw : lines) {
            String l = raw.strip();
            if (l.isEmpty()) {
                if (uri != null && bookworm) {
                    return Optional.of(uri);
                }
                uri = null;
                bookworm = false;
            } else if (l.startsWith("URIs:")) {
                uri = l.substring(5).strip().split("\\s+")[0];
            } else if (l.startsWith("Suites:")) {
                bookworm = List.of(l.substring(7).strip().split("\\s+")).contains("bookworm");
            }
        }
        return uri != null && bookworm ? Optional.of(uri) : Optional.empty();
    }

    /** The URL of the first {@code deb URL bookworm ...} line. */
    static Optional<String> fromOneLine(List<String> lines) {
        for (String raw : lines) {
            String[] f = raw.strip().split("\\s+");
            if (f.length >= 3 && f[0].equals("deb") && f[2].equals("bookworm")) {
                return Optional.of(f[1]);
            }
            if (f.length >= 4 && f[0].equals("deb") && f[1].startsWith("[") && f[3].equals("bookworm")) {
                return Optional.of(f[2]);
            }
        }
        return Optional.empty();
    }

    private static List<String> read(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.readAllLines(file) : List.of();
        } catch (IOException e) {
            return List.of();
        }
    }
}
