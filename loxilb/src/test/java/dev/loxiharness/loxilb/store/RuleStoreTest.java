package dev.loxiharness.loxilb.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loxiharness.loxilb.wire.LoadbalanceEntry;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuleStoreTest {
    @TempDir
    Path dir;

    static final Function<LoadbalanceEntry, Object> BY_VIP = e -> e.serviceArguments.externalIP;

    static LoadbalanceEntry rule(String vip, String name) {
        LoadbalanceEntry e = new LoadbalanceEntry();
        e.serviceArguments = new LoadbalanceEntry.ServiceArguments();
        e.serviceArguments.externalIP = vip;
        e.serviceArguments.port = 8888L;
        e.serviceArguments.protocol = "tcp";
        e.serviceArguments.name = name;
        return e;
    }

    static List<String> names(List<LoadbalanceEntry> rules) {
        return rules.stream().map(e -> e.serviceArguments.externalIP + "=" + e.serviceArguments.name).toList();
    }

    static byte[] put(LoadbalanceEntry e) {
        return RuleStore.record(RuleStore.encode(e), false);
    }

    static byte[] delete(LoadbalanceEntry e) {
        return RuleStore.record(RuleStore.encode(e), true);
    }

    @Test
    void theJournalsChangesComeBackOnTopOfTheFile() {
        RuleStore store = new RuleStore(dir);
        store.save(List.of(rule("10.0.0.1", "a"), rule("10.0.0.2", "b")));
        store.append(List.of(put(rule("10.0.0.3", "c")), put(rule("10.0.0.1", "a2"))), List.of());
        store.append(List.of(delete(rule("10.0.0.2", "b"))), List.of());
        assertThat(store.journalPending()).isTrue();
        assertThat(dir.resolve(RuleStore.JOURNAL)).exists();

        assertThat(names(new RuleStore(dir).load(BY_VIP))).containsExactly("10.0.0.1=a2", "10.0.0.3=c");
    }

    @Test
    void aRecordCutShortByACrashIsDropped() throws Exception {
        RuleStore store = new RuleStore(dir);
        store.save(List.of(rule("10.0.0.1", "a")));
        store.append(List.of(put(rule("10.0.0.2", "b"))), List.of());
        byte[] cut = put(rule("10.0.0.3", "c"));
        Files.write(dir.resolve(RuleStore.JOURNAL), Arrays.copyOf(cut, cut.length / 2), StandardOpenOption.APPEND);

        assertThat(names(new RuleStore(dir).load(BY_VIP))).containsExactly("10.0.0.1=a", "10.0.0.2=b");
    }

    @Test
    void aDamagedRecordBeforeTheLastIsAnError() throws Exception {
        RuleStore store = new RuleStore(dir);
        store.append(List.of(put(rule("10.0.0.2", "b"))), List.of());
        Files.writeString(dir.resolve(RuleStore.JOURNAL), "{\"put\":{\"serv\n" + new String(put(rule("10.0.0.3", "c")),
                StandardCharsets.UTF_8), StandardOpenOption.APPEND);

        assertThatThrownBy(() -> new RuleStore(dir).load(BY_VIP)).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining(RuleStore.JOURNAL);
    }

    @Test
    void savingFoldsTheJournalIntoTheFile() throws Exception {
        RuleStore store = new RuleStore(dir);
        store.append(List.of(put(rule("10.0.0.1", "a"))), List.of());
        store.saveEncoded(List.of(RuleStore.encode(rule("10.0.0.1", "a"))));

        assertThat(dir.resolve(RuleStore.JOURNAL)).doesNotExist();
        assertThat(store.journalPending()).isFalse();
        assertThat(Files.readString(dir.resolve(RuleStore.FILE))).startsWith("{\"lbAttr\":[{").contains("10.0.0.1");
        store.append(List.of(put(rule("10.0.0.2", "b"))), List.of());
        assertThat(names(new RuleStore(dir).load(BY_VIP))).containsExactly("10.0.0.1=a", "10.0.0.2=b");
    }

    @Test
    void aJournalOutgrowingTheFileIsFoldedIntoIt() {
        RuleStore store = new RuleStore(dir);
        List<byte[]> all = new ArrayList<>();
        List<byte[]> records = new ArrayList<>();
        long size = 0;
        for (int i = 0; size <= RuleStore.JOURNAL_MIN_LIMIT; i++) {
            LoadbalanceEntry e = rule("10.0." + (i >> 8) + "." + (i & 255), "r" + i);
            all.add(RuleStore.encode(e));
            records.add(put(e));
            size += records.get(records.size() - 1).length;
        }
        store.append(records, all);

        assertThat(dir.resolve(RuleStore.JOURNAL)).doesNotExist();
        assertThat(new RuleStore(dir).load(BY_VIP)).hasSize(all.size());
    }
}
