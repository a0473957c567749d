package dev.loxiharness.loxilb.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class RuleTableTest {
    static final RuleKey KEY = new RuleKey("123.123.123.15", Protocol.TCP, 8888, 0, 0, "");
    static final EndpointSpec A = new EndpointSpec("192.168.57.101", 31655, 1);
    static final EndpointSpec B = new EndpointSpec("192.168.57.102", 31655, 1);

    static LbRule rule(String name, boolean bgp, Selection sel, List<EndpointSpec> eps) {
        return new LbRule(KEY, name, sel, NatMode.DEFAULT, bgp, false, 240, false, false, false, "", 0,
                ProbeSpec.NONE, List.of(), List.of(), eps);
    }

    final RuleTable table = new RuleTable();

    static LbRule ruleAt(int i, EndpointSpec... eps) {
        return new LbRule(new RuleKey("123.123.123." + i, Protocol.TCP, 80, 0, 0, ""), "", Selection.RR, NatMode.DEFAULT, false, false,
                240, false, false, false, "", 0, ProbeSpec.NONE, List.of(), List.of(), List.of(eps));
    }

    @Test
    void onceEveryIdWasHandedOutTheNextOnesAreThoseNoRuleHolds() {
        RuleTable t = new RuleTable(RuleTable.MAX_ID - 1);
        assertThat(t.upsert(ruleAt(1, A)).after().id()).isEqualTo(RuleTable.MAX_ID - 1);
        assertThat(t.upsert(ruleAt(2, A)).after().id()).isEqualTo(RuleTable.MAX_ID);
        assertThat(t.upsert(ruleAt(3, A)).after().id()).as("round the range").isEqualTo(1);
        t.delete(ruleAt(2, A).key());
        // a table that started near the end: ids 2 .. MAX_ID - 2 count as handed out to rules long gone
        assertThat(t.upsert(ruleAt(4, A)).after().id()).isEqualTo(2);
        assertThat(t.upsert(ruleAt(1, A, B)).after().id()).as("an update keeps its id").isEqualTo(RuleTable.MAX_ID - 1);
        assertThat(t.list()).extracting(RuleTable.RuleView::id).doesNotHaveDuplicates();
    }

    @Test
    void createThenSameRuleAgainIsExists() {
        Change c = table.upsert(rule("svc", false, Selection.RR, List.of(A, B)));
        assertThat(c.before()).isNull();
        assertThat(c.after().activeEndpoints()).containsExactly(A, B);
        assertThatThrownBy(() -> table.upsert(rule("svc", false, Selection.RR, List.of(A, B))))
                .isInstanceOfSatisfying(RuleException.class, e -> assertThat(e.error()).isEqualTo(RuleError.EXISTS));
    }

    @Test
    void endpointOrderAloneIsNoChange() {
        table.upsert(rule("svc", false, Selection.RR, List.of(A, B)));
        assertThatThrownBy(() -> table.upsert(rule("svc", false, Selection.RR, List.of(B, A))))
                .isInstanceOf(RuleException.class);
    }

    @Test
    void nameOrBgpAloneIsNoChangeAndUpdatesKeepThem() {
        table.upsert(rule("svc", true, Selection.RR, List.of(A, B)));
        assertThatThrownBy(() -> table.upsert(rule("other", false, Selection.RR, List.of(A, B))))
                .isInstanceOf(RuleException.class);
        Change c = table.upsert(rule("other", false, Selection.HASH, List.of(A)));
        assertThat(c.before().id()).isEqualTo(c.after().id());
        assertThat(c.after().rule().name()).isEqualTo("svc");
        assertThat(c.after().rule().bgp()).isTrue();
        assertThat(c.after().rule().selection()).isEqualTo(Selection.HASH);
    }

    @Test
    void deleteMissingIsNoRule() {
        assertThatThrownBy(() -> table.delete(KEY))
                .isInstanceOfSatisfying(RuleException.class, e -> assertThat(e.error()).isEqualTo(RuleError.NO_RULE));
    }

    @Test
    void deleteByNameTakesEveryRuleOfThatName() {
        table.upsert(rule("svc", false, Selection.RR, List.of(A)));
        assertThat(table.deleteByName("nope")).isEmpty();
        assertThat(table.deleteByName("svc")).hasSize(1);
        assertThat(table.size()).isZero();
    }

    @Test
    void probedEndpointGoesOutAndComesBack() {
        LbRule probed = new LbRule(KEY, "", Selection.RR, NatMode.DEFAULT, false, true, 240, false, false, false, "",
                0, ProbeSpec.NONE, List.of(), List.of(), List.of(A, B));
        table.upsert(probed);
        List<Change> down = table.endpointProbed(A.target(), false);
        assertThat(down).singleElement().satisfies(c -> assertThat(c.after().activeEndpoints()).containsExactly(B));
        assertThat(table.endpointProbed(A.target(), false)).as("no news, no change").isEmpty();
        assertThat(table.list().get(0).endpointUp()).containsEntry(A, false).containsEntry(B, true);
        assertThat(table.endpointProbed(A.target(), true)).singleElement()
                .satisfies(c -> assertThat(c.after().activeEndpoints()).containsExactly(A, B));
    }

    @Test
    void unprobedRulesIgnoreProbeResults() {
        table.upsert(rule("svc", false, Selection.RR, List.of(A, B)));
        assertThat(table.endpointProbed(A.target(), false)).isEmpty();
    }

    @Test
    void revertUndoesACreateAndAnUpdate() {
        Change created = table.upsert(rule("svc", false, Selection.RR, List.of(A)));
        Change updated = table.upsert(rule("svc", false, Selection.RR, List.of(A, B)));
        table.revert(updated);
        assertThat(table.plans()).singleElement().satisfies(p -> assertThat(p.activeEndpoints()).containsExactly(A));
        table.revert(created);
        assertThat(table.size()).isZero();
    }

    @Test
    void revertLeavesANewerChangeAlone() {
        Change first = table.upsert(rule("svc", false, Selection.RR, List.of(A)));
        table.upsert(rule("svc", false, Selection.RR, List.of(A, B)));
        table.revert(first);
        assertThat(table.plans()).singleElement().satisfies(p -> assertThat(p.activeEndpoints()).hasSize(2));
    }
}
