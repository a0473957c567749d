package dev.loxiharness.loxilb.dataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loxiharness.loxilb.rules.Change;
import dev.loxiharness.loxilb.rules.EndpointSpec;
import dev.loxiharness.loxilb.rules.LbRule;
import dev.loxiharness.loxilb.rules.NatMode;
import dev.loxiharness.loxilb.rules.ProbeSpec;
import dev.loxiharness.loxilb.rules.Protocol;
import dev.loxiharness.loxilb.rules.RuleKey;
import dev.loxiharness.loxilb.rules.Selection;
import dev.loxiharness.loxilb.rules.ServicePlan;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NftRendererTest {
    static final EndpointSpec A = new EndpointSpec("10.0.1.2", 8080, 3);
    static final EndpointSpec B = new EndpointSpec("10.0.2.2", 8080, 1);
    final NftRenderer r = new NftRenderer("loxilb");

    static ServicePlan plan(long id, Selection sel, NatMode mode, List<String> sources, int portMax, EndpointSpec... live) {
        RuleKey key = new RuleKey("123.123.123.15", Protocol.TCP, 8888, portMax, 0, "");
        LbRule rule = new LbRule(key, "", sel, mode, false, false, 240, false, false, false, "", 0, ProbeSpec.NONE,
                List.of(), sources, List.of(A, B));
        return new ServicePlan(id, rule, List.of(live));
    }

    /** The first pick chain a renderer makes gets shape 3 (1 is a rule's own chain, 2 drop). */
    static long mark(int shape, long id) {
        return ((long) shape << NftRenderer.SHAPE_SHIFT) | id;
    }

    String apply(Change... changes) {
        NftScript script = r.apply(List.of(changes));
        r.committed(script);
        return script.text();
    }

    @Test
    void createIsElementsOnlyOnceItsShapeExists() {
        long m7 = mark(3, 7);
        assertThat(apply(new Change(null, plan(7, Selection.RR, NatMode.DEFAULT, List.of(), 0, A, B)))).isEqualTo("""
                add chain ip loxilb pick_tcp_rr_2
                add rule ip loxilb pick_tcp_rr_2 meta l4proto tcp dnat ip to meta mark . numgen inc mod 2 map @eps
                add element ip loxilb picks { 50331648 : jump pick_tcp_rr_2 }
                add element ip loxilb eps { M . 0 : 10.0.1.2 . 8080, M . 1 : 10.0.2.2 . 8080 }
                add element ip loxilb svcs { 123.123.123.15 . tcp . 8888 : M }
                """.replace("M", String.valueOf(m7)));
        long m8 = mark(3, 8);
        assertThat(apply(new Change(null, plan(8, Selection.RR, NatMode.DEFAULT, List.of(), 0, B, A)))).isEqualTo("""
                add element ip loxilb eps { M . 0 : 10.0.2.2 . 8080, M . 1 : 10.0.1.2 . 8080 }
                add element ip loxilb svcs { 123.123.123.15 . tcp . 8888 : M }
                """.replace("M", String.valueOf(m8)));
        assertThat(NftRenderer.ruleId(m8)).isEqualTo(8);
    }

    /** A round-robin rule whose {@code slots} live endpoints make pick chain {@code pick_tcp_rr_<slots>}. */
    static ServicePlan withSlots(long id, int slots) {
        List<EndpointSpec> live = new ArrayList<>();
        for (int i = 0; i < slots; i++) {
            live.add(new EndpointSpec("10.1." + (i / 250) + "." + (i % 250 + 1), 8080, 1));
        }
        RuleKey key = new RuleKey("123.123." + (id / 250) + "." + (id % 250 + 1), Protocol.TCP, 80, 0, 0, "");
        LbRule rule = new LbRule(key, "", Selection.RR, NatMode.DEFAULT, false, false, 240, false, false, false, "", 0,
                ProbeSpec.NONE, List.of(), List.of(), live);
        return new ServicePlan(id, rule, live);
    }

    @Test
    void aNewKindOfPickChainTakesTheNumberOfOneNoRuleGoesThroughOnceAllAreTaken() {
        int kinds = NftRenderer.MAX_SHAPE - NftRenderer.FIRST_PICK + 1;
        List<Change> all = new ArrayList<>();
        for (int n = 1; n <= kinds; n++) {
            all.add(new Change(null, withSlots(n, n)));
        }
        apply(all.toArray(Change[]::new));
        ServicePlan oneMore = withSlots(1000, kinds + 1);
        assertThatThrownBy(() -> r.apply(List.of(new Change(null, oneMore)))).isInstanceOf(NftException.class)
                .hasMessageContaining("more than " + kinds + " kinds");

        // the rule with 5 endpoints goes: its pick chain (shape 3 + 4) has no rule any more
        apply(new Change(withSlots(5, 5), null));
        String script = apply(new Change(null, oneMore));
        long shapeOf5 = (long) (NftRenderer.FIRST_PICK + 4) << NftRenderer.SHAPE_SHIFT;
        assertThat(script).contains("delete element ip loxilb picks { " + shapeOf5 + " }\n"
                        + "flush chain ip loxilb pick_tcp_rr_5\ndelete chain ip loxilb pick_tcp_rr_5\n"
                        + "add chain ip loxilb pick_tcp_rr_" + (kinds + 1) + "\n")
                .contains("add element ip loxilb picks { " + shapeOf5 + " : jump pick_tcp_rr_" + (kinds + 1) + " }")
                .contains("svcs { 123.123.4.1 . tcp . 80 : " + mark(NftRenderer.FIRST_PICK + 4, 1000) + " }");
        assertThat(script.indexOf("delete chain ip loxilb pick_tcp_rr_5")).as("gone before its number is given again")
                .isLessThan(script.indexOf("add element ip loxilb picks { " + shapeOf5 + " : jump"));

        // every number is in use again, pick_tcp_rr_5 among the chains that are gone
        assertThatThrownBy(() -> r.apply(List.of(new Change(null, withSlots(5, 5))))).isInstanceOf(NftException.class);
        // a rule moving to another pick chain frees its former one in the same script
        String moved = apply(new Change(withSlots(7, 7), withSlots(7, 6)), new Change(null, withSlots(2000, 5)));
        assertThat(moved).contains("delete chain ip loxilb pick_tcp_rr_7").contains("add chain ip loxilb pick_tcp_rr_5");
    }

    @Test
    void aScriptThatWasNotCommittedLeavesItsShapesToTheNextOne() {
        ServicePlan p = plan(7, Selection.RR, NatMode.DEFAULT, List.of(), 0, A, B);
        assertThat(r.apply(List.of(new Change(null, p))).text()).contains("add chain ip loxilb pick_tcp_rr_2");
        NftScript again = r.apply(List.of(new Change(null, p), new Change(null, plan(9, Selection.HASH, NatMode.DEFAULT,
                List.of(), 0, B, A)), new Change(null, plan(10, Selection.RR, NatMode.DEFAULT, List.of(), 0, B, A))));
        assertThat(again.text().split("add chain ip loxilb pick_tcp_rr_2", -1)).as("made once per script").hasSize(2);
        assertThat(again.newShapes()).containsExactlyInAnyOrderEntriesOf(Map.of("pick_tcp_rr_2", 3, "pick_tcp_hash_2", 4));
    }

    @Test
    void resetMakesTheTableWithEachMapsElementsTogetherAndRemembersItsShapes() {
        NftScript s = r.reset(List.of(plan(1, Selection.RR, NatMode.DEFAULT, List.of(), 0, A, B),
                plan(2, Selection.HASH, NatMode.FULLNAT, List.of(), 0, A, B)));
        long m1 = mark(3, 1);
        long m2 = mark(4, 2);
        assertThat(s.text()).startsWith("add table ip loxilb\ndelete table ip loxilb\ntable ip loxilb {\n")
                .contains("meta mark set ip daddr . meta l4proto . th dport map @svcs ct mark set meta mark "
                        + "meta mark & 0xff000000 vmap @picks")
                .contains("add element ip loxilb picks { 16777216 : jump own, 33554432 : drop }")
                .contains("add element ip loxilb eps { " + m1 + " . 0 : 10.0.1.2 . 8080, " + m1 + " . 1 : 10.0.2.2 . 8080, "
                        + m2 + " . 0 : 10.0.1.2 . 8080, " + m2 + " . 1 : 10.0.2.2 . 8080 }")
                .contains("add element ip loxilb snatmarks { " + m2 + " }")
                .contains("add element ip loxilb svcs { 123.123.123.15 . tcp . 8888 : " + m1
                        + ", 123.123.123.15 . tcp . 8888 : " + m2 + " }");
        r.committed(s);
        assertThat(apply(new Change(null, plan(3, Selection.HASH, NatMode.DEFAULT, List.of(), 0, A, B))))
                .doesNotContain("add chain").contains(" : " + mark(4, 3) + " }");
    }

    @Test
    void longElementListsAreSplitIntoStatements() {
        List<ServicePlan> many = new ArrayList<>();
        for (int i = 1; i <= NftRenderer.ELEMENTS_PER_STATEMENT + 1; i++) {
            many.add(plan(i, Selection.RR, NatMode.DEFAULT, List.of(), 0, A));
        }
        assertThat(r.reset(many).text().lines().filter(l -> l.startsWith("add element ip loxilb svcs {"))).hasSize(2);
    }

    @Test
    void anIdBeyondTheMarkIsRefused() {
        assertThatThrownBy(() -> r.apply(List.of(new Change(null,
                plan(NftRenderer.ID_MASK + 1, Selection.RR, NatMode.DEFAULT, List.of(), 0, A)))))
                .isInstanceOf(NftException.class).hasMessageContaining("does not fit the packet mark");
    }

    @Test
    void udpAndSctpRulesUseTheEndpointMapOfTheirProtocol() {
        for (Protocol proto : List.of(Protocol.UDP, Protocol.SCTP)) {
            RuleKey key = new RuleKey("123.123.123.15", proto, 53, 0, 0, "");
            LbRule rule = new LbRule(key, "", Selection.PERSIST, NatMode.DEFAULT, false, false, 240, false, false, false, "", 0,
                    ProbeSpec.NONE, List.of(), List.of(), List.of(A));
            String s = apply(new Change(null, new ServicePlan(9, rule, List.of(A))));
            String map = proto == Protocol.UDP ? "eps_udp" : "eps_sctp";
            assertThat(s).contains("add rule ip loxilb pick_" + proto.wire() + "_rr_1 meta l4proto " + proto.wire()
                            + " dnat ip to meta mark . numgen inc mod 1 map @" + map)
                    .contains("add element ip loxilb " + map + " { " + mark(NftRenderer.OWN, 9) + " . 0 : 10.0.1.2 . 8080 }")
                    .contains("persist_9 { typeof ip saddr : ip daddr . " + proto.wire() + " dport;");
        }
        assertThat(r.reset(List.of()).text())
                .contains("map eps_udp { typeof meta mark . numgen inc mod 2 : ip daddr . udp dport; }")
                .contains("map eps_sctp { typeof meta mark . numgen inc mod 2 : ip daddr . sctp dport; }");
    }

    @Test
    void priorityRepeatsEndpointsByWeightAndHashUsesJhash() {
        ServicePlan priority = plan(1, Selection.PRIORITY, NatMode.DEFAULT, List.of(), 0, A, B);
        assertThat(NftRenderer.slots(priority)).containsExactly(A, A, A, B);
        assertThat(NftRenderer.pickChain(priority)).isEqualTo("pick_tcp_rr_4");
        assertThat(apply(new Change(null, plan(2, Selection.HASH, NatMode.DEFAULT, List.of(), 0, A, B))))
                .contains("add rule ip loxilb pick_tcp_hash_2 meta l4proto tcp dnat ip to meta mark . "
                        + "jhash ip saddr . th sport mod 2 seed 0x0 map @eps")
                .contains("picks { 50331648 : jump pick_tcp_hash_2 }");
    }

    @Test
    void fullnatMasqueradesAndAllowedSourcesGetAChainOfTheirOwn() {
        long m = mark(NftRenderer.OWN, 2);
        String s = apply(new Change(null,
                plan(2, Selection.RR, NatMode.FULLNAT, List.of("10.1.2.3/8", "198.51.100.10"), 0, A)));
        assertThat(s).contains("add chain ip loxilb svc_2\n"
                        + "add rule ip loxilb svc_2 ip saddr != { 10.0.0.0/8, 198.51.100.10 } drop\n"
                        + "add rule ip loxilb svc_2 goto pick_tcp_rr_1\n")
                .contains("add element ip loxilb snatmarks { " + m + " }")
                .contains("add element ip loxilb owners { " + m + " : jump svc_2 }");
    }

    @Test
    void noLiveEndpointDrops() {
        assertThat(apply(new Change(null, plan(3, Selection.RR, NatMode.DEFAULT, List.of(), 0))))
                .isEqualTo("add element ip loxilb svcs { 123.123.123.15 . tcp . 8888 : " + mark(NftRenderer.DROP, 3) + " }\n");
    }

    @Test
    void portRangeGoesToTheIntervalMapAndKeepsThePort() {
        String s = apply(new Change(null, plan(4, Selection.RR, NatMode.DEFAULT, List.of(), 8890, A)));
        assertThat(s).contains("svcranges { 123.123.123.15 . tcp . 8888-8890 : " + mark(3, 4) + " }")
                .contains("add rule ip loxilb pick_tcp_range_rr_1 meta l4proto tcp dnat ip to meta mark . "
                        + "numgen inc mod 1 map @epaddrs")
                .contains("epaddrs { " + mark(3, 4) + " . 0 : 10.0.1.2 }");
    }

    @Test
    void updateKeepingItsShapeRewritesOnlyItsSlots() {
        ServicePlan before = plan(5, Selection.RR, NatMode.DEFAULT, List.of(), 0, A, B);
        apply(new Change(null, before));
        ServicePlan after = plan(5, Selection.RR, NatMode.ONEARM, List.of(), 0, B, A);
        assertThat(apply(new Change(before, after))).isEqualTo("""
                delete element ip loxilb eps { M . 0, M . 1 }
                add element ip loxilb eps { M . 0 : 10.0.2.2 . 8080, M . 1 : 10.0.1.2 . 8080 }
                add element ip loxilb snatmarks { M }
                """.replace("M", String.valueOf(mark(3, 5))));
    }

    @Test
    void updateChangingItsShapeReplacesItsElementsUnderTheNewMark() {
        ServicePlan before = plan(5, Selection.RR, NatMode.DEFAULT, List.of(), 0, A, B);
        apply(new Change(null, before));
        ServicePlan after = plan(5, Selection.RR, NatMode.DEFAULT, List.of(), 0, B);
        assertThat(apply(new Change(before, after))).isEqualTo("""
                add chain ip loxilb pick_tcp_rr_1
                add rule ip loxilb pick_tcp_rr_1 meta l4proto tcp dnat ip to meta mark . numgen inc mod 1 map @eps
                add element ip loxilb picks { 67108864 : jump pick_tcp_rr_1 }
                delete element ip loxilb svcs { 123.123.123.15 . tcp . 8888 }
                delete element ip loxilb eps { OLD . 0, OLD . 1 }
                add element ip loxilb eps { NEW . 0 : 10.0.2.2 . 8080 }
                add element ip loxilb svcs { 123.123.123.15 . tcp . 8888 : NEW }
                """.replace("OLD", String.valueOf(mark(3, 5))).replace("NEW", String.valueOf(mark(4, 5))));
    }

    @Test
    void updateToAndFromAChainOfItsOwn() {
        ServicePlan plain = plan(5, Selection.RR, NatMode.DEFAULT, List.of(), 0, A, B);
        ServicePlan filtered = plan(5, Selection.RR, NatMode.DEFAULT, List.of("10.0.0.0/8"), 0, A, B);
        apply(new Change(null, plain));
        String to = apply(new Change(plain, filtered));
        assertThat(to).contains("add chain ip loxilb svc_5\n")
                .contains("add element ip loxilb owners { " + mark(NftRenderer.OWN, 5) + " : jump svc_5 }")
                .contains("svcs { 123.123.123.15 . tcp . 8888 : " + mark(NftRenderer.OWN, 5) + " }");
        String back = apply(new Change(filtered, plain));
        assertThat(back).contains("flush chain ip loxilb svc_5\ndelete chain ip loxilb svc_5\n")
                .contains("svcs { 123.123.123.15 . tcp . 8888 : " + mark(3, 5) + " }");
        assertThat(back.indexOf("delete element ip loxilb owners")).isLessThan(back.indexOf("delete chain ip loxilb svc_5"));
    }

    @Test
    void updateOfARuleWithItsOwnChainRewritesItInPlace() {
        ServicePlan before = plan(6, Selection.PERSIST, NatMode.DEFAULT, List.of(), 0, A, B);
        apply(new Change(null, before));
        ServicePlan after = plan(6, Selection.PERSIST, NatMode.DEFAULT, List.of(), 0, A);
        String s = apply(new Change(before, after));
        assertThat(s).startsWith("add chain ip loxilb pick_tcp_rr_1\n")
                .contains("flush chain ip loxilb svc_6\n")
                .contains("delete map ip loxilb persist_6\nadd map ip loxilb persist_6")
                .contains("add rule ip loxilb svc_6 goto pick_tcp_rr_1")
                .doesNotContain("delete chain ip loxilb svc_6").doesNotContain("svcs");
    }

    @Test
    void aRuleDeletedAndMadeAgainWithANewIdIsRemovedThenAdded() {
        ServicePlan old = plan(5, Selection.RR, NatMode.DEFAULT, List.of(), 0, A, B);
        ServicePlan made = plan(6, Selection.RR, NatMode.DEFAULT, List.of(), 0, A, B);
        apply(new Change(null, old));
        String s = apply(new Change(old, made));
        assertThat(s).contains("delete element ip loxilb svcs { 123.123.123.15 . tcp . 8888 }")
                .contains("add element ip loxilb svcs { 123.123.123.15 . tcp . 8888 : " + mark(3, 6) + " }");
    }

    @Test
    void persistLearnsPerRuleWithTheRulesTimeout() {
        String s = apply(new Change(null, plan(6, Selection.PERSIST, NatMode.DEFAULT, List.of(), 0, A)));
        assertThat(s).contains("add map ip loxilb persist_6 { typeof ip saddr : ip daddr . tcp dport; flags dynamic,timeout; timeout 240s; }")
                .contains("add rule ip loxilb svc_6 meta l4proto tcp dnat ip to ip saddr map @persist_6\n"
                        + "add rule ip loxilb svc_6 goto pick_tcp_rr_1\n")
                .contains("add element ip loxilb persistlearn { " + mark(NftRenderer.OWN, 6) + " : jump learn_6 }");
    }

    @Test
    void deleteRemovesEverythingCreateAdded() {
        ServicePlan p = plan(8, Selection.PERSIST, NatMode.FULLNAT, List.of(), 0, A, B);
        apply(new Change(null, p));
        long m = mark(NftRenderer.OWN, 8);
        String s = apply(new Change(p, null));
        assertThat(s).contains("delete element ip loxilb svcs { 123.123.123.15 . tcp . 8888 }")
                .contains("delete element ip loxilb owners { " + m + " }")
                .contains("delete chain ip loxilb svc_8").contains("delete element ip loxilb eps { " + m + " . 0, " + m + " . 1 }")
                .contains("delete element ip loxilb snatmarks { " + m + " }")
                .contains("delete element ip loxilb persistlearn { " + m + " }").contains("delete map ip loxilb persist_8")
                .doesNotContain("pick_");
    }
}
