package dev.loxiharness.loxilb.store;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.loxiharness.loxilb.wire.Json;
import dev.loxiharness.loxilb.wire.LoadbalanceEntry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The rules on disk, in upstream's file {@code <config-path>/lbconfig.txt} ({@code {"lbAttr":[...]}},
 * the format {@code loxicmd save} writes and loxilb reads at start). Written to a temporary file,
 * synced and renamed over the old one, so a crash mid-write leaves the previous rules intact.
 */
public final class RuleStore {
    public static final String FILE = "lbconfig.txt";

    private final Path dir;
    private final Path file;

    /** The file's shape: upstream's GET answer. */
    public static final class LbAttr {
        @JsonProperty("lbAttr")
        public List<LoadbalanceEntry> lbAttr = List.of();
    }

    public RuleStore(Path dir) {
        this.dir = dir;
        this.file = dir.resolve(FILE);
    }

    public Path file() {
        return file;
    }

    /** The stored rules; none when there is no file. A file that does not parse is an error, never ignored. */
    public List<LoadbalanceEntry> load() {
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            LbAttr a = Json.MAPPER.readValue(file.toFile(), LbAttr.class);
            return a.lbAttr == null ? List.of() : a.lbAttr;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    public void save(List<LoadbalanceEntry> rules) {
        List<byte[]> each = new ArrayList<>();
        for (LoadbalanceEntry e : rules) {
            each.add(encode(e));
        }
        saveEncoded(each);
    }

    /** One rule as it is written into the file, so a caller can keep the bytes of unchanged rules. */
    public static byte[] encode(LoadbalanceEntry e) {
        try {
            return Json.MAPPER.writeValueAsBytes(e);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** Writes rules already encoded by {@link #encode}: at 10,000 rules re-encoding them all per change is the cost. */
    public void saveEncoded(Collection<byte[]> rules) {
        try {
            Files.createDirectories(dir);
            Path tmp = dir.resolve(FILE + ".tmp");
            ByteArrayOutputStream out = new ByteArrayOutputStream(rules.size() * 300 + 16);
            out.write("{\"lbAttr\":[".getBytes(StandardCharsets.US_ASCII));
            boolean first = true;
            for (byte[] r : rules) {
                if (!first) {
                    out.write(',');
                }
                out.write(r);
                first = false;
            }
            out.write("]}".getBytes(StandardCharsets.US_ASCII));
            byte[] bytes = out.toByteArray();
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(ByteBuffer.wrap(bytes));
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
                d.force(true);
            } catch (IOException e) {
                // some filesystems cannot sync a directory; the rename itself is still atomic
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
