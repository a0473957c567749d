package dev.loxiharness.loxilb.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loxiharness.loxilb.rules.Change;
import dev.loxiharness.loxilb.rules.EndpointSpec;
import dev.loxiharness.loxilb.rules.LbRule;
import dev.loxiharness.loxilb.rules.NatMode;
import dev.loxiharness.loxilb.rules.ProbeSpec;
import dev.loxiharness.loxilb.rules.Protocol;
import dev.loxiharness.loxilb.rules.RuleKey;
import dev.loxiharness.loxilb.rules.Selection;
import dev.loxiharness.loxilb.rules.ServicePlan;
import java.util.List;
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

    @Test
    void createIsAVerdictMapElementAChainAndEndpointSlots() {
        String s = r.apply(List.of(new Change(null, plan(7, Selection.RR, NatMode.DEFAULT, List.of(), 0, A, B))));
        assertThat(s).isEqualTo("""
                add chain ip loxilb svc_7
                add rule ip loxilb svc_7 meta mark set 7
                add rule ip loxilb svc_7 ct mark set meta mark
                add rule ip loxilb svc_7 meta l4proto tcp dnat ip to meta mark . numgen inc mod 2 map @eps
                add element ip loxilb svcs { 123.123.123.15 . tcp . 8888 : jump svc_7 }
                add element ip loxilb eps { 7 . 0 : 10.0.1.2 . 8080, 7 . 1 : 10.0.2.2 . 8080 }
                """);
    }

    @Test
    void udpAndSctpRulesUseTheEndpointMapOfTheirProtocol() {
        for (Protocol proto : List.of(Protocol.UDP, Protocol.SCTP)) {
            RuleKey key = new RuleKey("123.123.123.15", proto, 53, 0, 0, "");
            LbRule rule = new LbRule(key, "", Selection.PERSIST, NatMode.DEFAULT, false, false, 240, false, false, false, "", 0,
                    ProbeSpec.NONE, List.of(), List.of(), List.of(A));
            String s = r.apply(List.of(new Change(null, new ServicePlan(9, rule, List.of(A)))));
            String map = proto == Protocol.UDP ? "eps_udp" : "eps_sctp";
            assertThat(s).contains("meta l4proto " + proto.wire() + " dnat ip to meta mark . numgen inc mod 1 map @" + map)
                    .contains("add element ip loxilb " + map + " { 9 . 0 : 10.0.1.2 . 8080 }")
                    .contains("persist_9 { typeof ip saddr : ip daddr . " + proto.wire() + " dport;");
        }
        assertThat(r.reset(List.of())).contains("map eps_udp { typeof meta mark . numgen inc mod 2 : ip daddr . udp dport; }")
                .contains("map eps_sctp { typeof meta mark . numgen inc mod 2 : ip daddr . sctp dport; }");
    }

    @Test
    void priorityRepeatsEndpointsByWeightAndHashUsesJhash() {
        assertThat(NftRenderer.slots(plan(1, Selection.PRIORITY, NatMode.DEFAULT, List.of(), 0, A, B)))
                .containsExactly(A, A, A, B);
        assertThat(r.apply(List.of(new Change(null, plan(1, Selection.HASH, NatMode.DEFAULT, List.of(), 0, A, B)))))
                .contains("jhash ip saddr . th sport mod 2 seed 0x0 map @eps");
    }

    @Test
    void fullnatMasqueradesAndAllowedSourcesDropOthers() {
        String s = r.apply(List.of(new Change(null,
                plan(2, Selection.RR, NatMode.FULLNAT, List.of("10.1.2.3/8", "198.51.100.10"), 0, A))));
        assertThat(s).contains("add rule ip loxilb svc_2 ip saddr != { 10.0.0.0/8, 198.51.100.10 } drop")
                .contains("add element ip loxilb snatmarks { 2 }");
    }

    @Test
    void noLiveEndpointDrops() {
        assertThat(r.apply(List.of(new Change(null, plan(3, Selection.RR, NatMode.DEFAULT, List.of(), 0)))))
                .contains("add rule ip loxilb svc_3 drop").doesNotContain("eps {");
    }

    @Test
    void portRangeGoesToTheIntervalMapAndKeepsThePort() {
        String s = r.apply(List.of(new Change(null, plan(4, Selection.RR, NatMode.DEFAULT, List.of(), 8890, A))));
        assertThat(s).contains("svcranges { 123.123.123.15 . tcp . 8888-8890 : jump svc_4 }")
                .contains("map @epaddrs").contains("epaddrs { 4 . 0 : 10.0.1.2 }");
    }

    @Test
    void updateRewritesOnlyTheRulesChainAndSlots() {
        ServicePlan before = plan(5, Selection.RR, NatMode.DEFAULT, List.of(), 0, A, B);
        ServicePlan after = plan(5, Selection.RR, NatMode.ONEARM, List.of(), 0, B);
        String s = r.apply(List.of(new Change(before, after)));
        assertThat(s).startsWith("flush chain ip loxilb svc_5\n")
                .contains("delete element ip loxilb eps { 5 . 0, 5 . 1 }")
                .contains("add element ip loxilb eps { 5 . 0 : 10.0.2.2 . 8080 }")
                .contains("add element ip loxilb snatmarks { 5 }")
                .doesNotContain("svcs");
    }

    @Test
    void persistLearnsPerRuleWithTheRulesTimeout() {
        String s = r.apply(List.of(new Change(null, plan(6, Selection.PERSIST, NatMode.DEFAULT, List.of(), 0, A))));
        assertThat(s).contains("add map ip loxilb persist_6 { typeof ip saddr : ip daddr . tcp dport; flags dynamic,timeout; timeout 240s; }")
                .contains("dnat ip to ip saddr map @persist_6")
                .contains("add element ip loxilb persistlearn { 6 : jump learn_6 }");
    }

    @Test
    void deleteRemovesEverythingCreateAdded() {
        ServicePlan p = plan(8, Selection.PERSIST, NatMode.FULLNAT, List.of(), 0, A, B);
        String s = r.apply(List.of(new Change(p, null)));
        assertThat(s).contains("delete element ip loxilb svcs { 123.123.123.15 . tcp . 8888 }")
                .contains("delete chain ip loxilb svc_8").contains("delete element ip loxilb eps { 8 . 0, 8 . 1 }")
                .contains("delete element ip loxilb snatmarks { 8 }").contains("delete map ip loxilb persist_8");
    }
}
