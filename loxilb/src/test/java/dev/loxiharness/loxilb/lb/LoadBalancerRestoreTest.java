package dev.loxiharness.loxilb.lb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loxiharness.loxilb.dataplane.Dataplane;
import dev.loxiharness.loxilb.rules.Change;
import dev.loxiharness.loxilb.rules.ServicePlan;
import dev.loxiharness.loxilb.store.RuleStore;
import dev.loxiharness.loxilb.wire.Json;
import dev.loxiharness.loxilb.wire.LoadbalanceEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A start: the stored rules go into the data plane; lbconfig.txt is written again only when that changes it. */
class LoadBalancerRestoreTest {
    static final String RULE = """
            {"serviceArguments":{"externalIP":"123.123.123.15","port":8888,"protocol":"tcp"},
             "endpoints":[{"endpointIP":"192.168.57.101","targetPort":31655,"weight":1}]}""";
    static final FileTime LONG_AGO = FileTime.fromMillis(1_000_000_000_000L);

    @TempDir
    Path dir;
    final List<ServicePlan> programmed = new ArrayList<>();
    final Dataplane dataplane = new Dataplane() {
        @Override
        public void reset(List<ServicePlan> services) {
            programmed.addAll(services);
        }

        @Override
        public void apply(List<Change> changes) {
        }

        @Override
        public void close() {
        }
    };

    Path file() {
        return dir.resolve(RuleStore.FILE);
    }

    void restore() {
        LoadBalancer lb = new LoadBalancer(dataplane, new RuleStore(dir));
        lb.restore();
        lb.close();
    }

    @Test
    void aFileWithoutJournalIsReadNotWrittenAgain() throws Exception {
        new RuleStore(dir).save(List.of(Json.MAPPER.readValue(RULE, LoadbalanceEntry.class)));
        byte[] before = Files.readAllBytes(file());
        Files.setLastModifiedTime(file(), LONG_AGO);
        restore();
        assertThat(programmed).extracting(p -> p.key().toString()).containsExactly("123.123.123.15:8888/tcp");
        assertThat(Files.getLastModifiedTime(file())).isEqualTo(LONG_AGO);
        assertThat(Files.readAllBytes(file())).isEqualTo(before);
    }

    @Test
    void aJournalIsFoldedIntoTheFile() throws Exception {
        new RuleStore(dir).save(List.of());
        Files.write(dir.resolve(RuleStore.JOURNAL),
                RuleStore.record(RuleStore.encode(Json.MAPPER.readValue(RULE, LoadbalanceEntry.class)), false));
        restore();
        assertThat(programmed).hasSize(1);
        assertThat(Files.readString(file())).contains("123.123.123.15");
        assertThat(Files.exists(dir.resolve(RuleStore.JOURNAL)) ? Files.size(dir.resolve(RuleStore.JOURNAL)) : 0L).isZero();
    }

    @Test
    void nothingStoredMakesNoFile() {
        restore();
        assertThat(programmed).isEmpty();
        assertThat(file()).doesNotExist();
    }
}
