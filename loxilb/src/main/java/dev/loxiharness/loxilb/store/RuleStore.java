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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The rules on disk, in upstream's file {@code <config-path>/lbconfig.txt} ({@code {"lbAttr":[...]}},
 * the format {@code loxicmd save} writes and loxilb reads at start), plus a journal beside it
 * ({@code lbconfig.txt.journal}) of the changes made since the file was last written.
 *
 * <p>A change is durable once its journal record is synced: appending a few records costs the same
 * at 10,000 rules as at one, where rewriting the file costs its whole size. The file is rewritten
 * (to a temporary file, synced and renamed over the old one, so a crash mid-write leaves the
 * previous rules intact; then the journal is emptied) when the journal outgrows it, when the
 * daemon is idle and when it stops, so outside bursts of changes the file alone holds every rule.
 * At start, the journal's records are applied on top of the file, by rule key; a record cut short
 * by a crash while it was written (never acknowledged) is dropped.
 */
public final class RuleStore {
    public static final String FILE = "lbconfig.txt";
    public static final String JOURNAL = FILE + ".journal";
    /** The journal may grow to the file's size, and at least this far, before the file is rewritten. */
    static final long JOURNAL_MIN_LIMIT = 256 * 1024;

    private final Path dir;
    private final Path file;
    private final Path journal;
    private FileChannel journalOut;
    private long journalBytes;
    private long fileBytes;

    /** The file's shape: upstream's GET answer. */
    public static final class LbAttr {
        @JsonProperty("lbAttr")
        public List<LoadbalanceEntry> lbAttr = List.of();
    }

    /** One journal line: the rule as stored after a change, or as it was before its deletion. */
    static final class Record {
        @JsonProperty("put")
        public LoadbalanceEntry put;
        @JsonProperty("delete")
        public LoadbalanceEntry delete;
    }

    public RuleStore(Path dir) {
        this.dir = dir;
        this.file = dir.resolve(FILE);
        this.journal = dir.resolve(JOURNAL);
    }

    public Path file() {
        return file;
    }

    /**
     * The stored rules: the file's, with the journal's changes applied, a rule being identified by
     * {@code keyOf} (when it cannot say, e.g. for a malformed rule, the rule is kept as it is, for
     * the caller to refuse). None when there is no file. A file that does not parse is an error,
     * never ignored.
     */
    public synchronized List<LoadbalanceEntry> load(Function<LoadbalanceEntry, Object> keyOf) {
        Map<Object, LoadbalanceEntry> rules = new LinkedHashMap<>();
        if (Files.exists(file)) {
            try {
                LbAttr a = Json.MAPPER.readValue(file.toFile(), LbAttr.class);
                for (LoadbalanceEntry e : a.lbAttr == null ? List.<LoadbalanceEntry>of() : a.lbAttr) {
                    rules.put(key(keyOf, e), e);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
            }
        }
        if (Files.exists(journal)) {
            try {
                byte[] all = Files.readAllBytes(journal);
                int start = 0;
                for (int i = 0; i < all.length; i++) {
                    if (all[i] != '\n') {
                        continue;
                    }
                    Record r = Json.MAPPER.readValue(all, start, i - start, Record.class);
                    if (r.put != null) {
                        rules.put(key(keyOf, r.put), r.put);
                    } else if (r.delete != null) {
                        rules.remove(key(keyOf, r.delete));
                    }
                    start = i + 1;
                }
                // all.length > start: a record cut short by a crash, never acknowledged
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + journal + ": " + e.getMessage(), e);
            }
        }
        return new ArrayList<>(rules.values());
    }

    private static Object key(Function<LoadbalanceEntry, Object> keyOf, LoadbalanceEntry e) {
        try {
            Object k = keyOf.apply(e);
            return k != null ? k : new Object();
        } catch (RuntimeException malformed) {
            return new Object();
        }
    }

    /** Writes the file with exactly these rules (and empties the journal). */
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

    /** A journal record: a rule as stored now ({@link #encode}d), or as it was when it was deleted. */
    public static byte[] record(byte[] encoded, boolean deleted) {
        byte[] head = (deleted ? "{\"delete\":" : "{\"put\":").getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[head.length + encoded.length + 2];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(encoded, 0, out, head.length, encoded.length);
        out[out.length - 2] = '}';
        out[out.length - 1] = '\n';
        return out;
    }

    /**
     * Makes {@code records} durable: appended to the journal and synced, or, when the journal would
     * outgrow the file, the file rewritten with {@code all} (every rule after these changes).
     */
    public synchronized void append(List<byte[]> records, Collection<byte[]> all) {
        long size = 0;
        for (byte[] r : records) {
            size += r.length;
        }
        if (journalBytes + size > Math.max(fileBytes, JOURNAL_MIN_LIMIT)) {
            saveEncoded(all);
            return;
        }
        try {
            if (journalOut == null) {
                Files.createDirectories(dir);
                journalOut = FileChannel.open(journal, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.APPEND);
                journalBytes = journalOut.size();
            }
            ByteBuffer[] buffers = records.stream().map(ByteBuffer::wrap).toArray(ByteBuffer[]::new);
            long left = size;
            while (left > 0) {
                left -= journalOut.write(buffers);
            }
            journalOut.force(false);
            journalBytes += size;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + journal + ": " + e.getMessage(), e);
        }
    }

    /** Whether the journal holds changes the file does not (then {@link #saveEncoded} folds them in). */
    /** Whether the journal file holds anything: at start, before {@link #load} folded it into nothing yet. */
    public synchronized boolean journalOnDisk() {
        try {
            return Files.exists(journal) && Files.size(journal) > 0;
        } catch (IOException e) {
            return true;
        }
    }

    public synchronized boolean journalPending() {
        return journalBytes > 0;
    }

    /** Writes rules already encoded by {@link #encode} as the file, then empties the journal. */
    public synchronized void saveEncoded(Collection<byte[]> rules) {
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
            fileBytes = bytes.length;
            // a crash before this point replays the journal onto the new file: the same rules again
            if (journalOut != null) {
                journalOut.close();
                journalOut = null;
            }
            Files.deleteIfExists(journal);
            journalBytes = 0;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
