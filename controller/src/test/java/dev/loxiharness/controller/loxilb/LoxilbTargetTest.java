package dev.loxiharness.controller.loxilb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.loxiharness.controller.FakeLoxilb;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LoxilbTargetTest {
    private FakeLoxilb loxilb;
    private RuleStore store;
    private LoxilbTarget target;

    @BeforeEach
    void setUp() throws Exception {
        loxilb = new FakeLoxilb();
        store = new RuleStore();
        target = new LoxilbTarget(loxilb.url(), store, Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(2));
    }

    @AfterEach
    void tearDown() {
        target.close();
        loxilb.close();
    }

    static LbRule rule(String ip, int port, String name, boolean bgp, String... endpoints) {
        List<LbRule.Endpoint> eps = Arrays.stream(endpoints)
                .map(e -> new LbRule.Endpoint(e.split(":")[0], Integer.parseInt(e.split(":")[1]), 1)).toList();
        return new LbRule(new LbRule.ServiceArguments(ip, "", port, "tcp", 0, 0, bgp, false, 1800, 0, true,
                "", 0, "", "", 0, 0, 0, name, 0), List.of(), List.of(), eps);
    }

    @Test
    void rulesArePostedAndUpdated() {
        target.start();
        store.replace("default/web", List.of(rule("123.123.123.15", 8888, "default_web:llb-inst0", false, "192.168.57.101:31655")));
        await().atMost(Duration.ofSeconds(5)).until(() -> loxilb.ruleKeys().contains("123.123.123.15:8888/tcp"));
        store.replace("default/web", List.of(rule("123.123.123.15", 8888, "default_web:llb-inst0", false,
                "192.168.57.101:31655", "192.168.57.102:31655")));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(loxilb.endpoints("123.123.123.15:8888/tcp"))
                .containsExactly("192.168.57.101:31655*1", "192.168.57.102:31655*1"));
        assertThat(loxilb.deletes()).isEmpty();
    }

    @Test
    void severalRulesAreInFlightAtOnceSoLoxilbCanCommitThemTogether() {
        loxilb.holdPosts();
        target.start();
        for (int i = 0; i < 20; i++) {
            store.replace("default/s" + i, List.of(rule("123.123.112." + (i + 1), 8080, "default_s" + i + ":llb-inst0", true,
                    "192.168.57.101:" + (30000 + i))));
        }
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(loxilb.postsInFlight()).isEqualTo(LoxilbTarget.IN_FLIGHT));
        loxilb.releasePosts();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(loxilb.ruleKeys()).hasSize(20));
        assertThat(loxilb.posts()).hasSize(20);
    }

    @Test
    void removedRulesAreDeletedWithTheirBgpFlag() {
        target.start();
        store.replace("default/web", List.of(rule("123.123.123.15", 8888, "default_web:llb-inst0", true, "192.168.57.101:31655")));
        await().atMost(Duration.ofSeconds(5)).until(() -> !loxilb.ruleKeys().isEmpty());
        store.remove("default/web");
        await().atMost(Duration.ofSeconds(5)).until(() -> loxilb.ruleKeys().isEmpty());
        assertThat(loxilb.deletes()).singleElement().satisfies(d -> {
            assertThat(d.path()).isEqualTo("/netlox/v1/config/loadbalancer/externalipaddress/123.123.123.15/port/8888/protocol/tcp");
            assertThat(d.query()).isEqualTo("bgp=true&block=0");
        });
    }

    @Test
    void aRuleChangingItsNameOrBgpIsDeletedThenPosted() {
        target.start();
        store.replace("default/a", List.of(rule("123.123.123.15", 80, "default_a:llb-inst0", false, "192.168.57.101:30080")));
        await().atMost(Duration.ofSeconds(5)).until(() -> loxilb.posts().size() == 1);
        store.remove("default/a");
        store.replace("default/b", List.of(rule("123.123.123.15", 80, "default_b:llb-inst0", false, "192.168.57.101:30081")));
        await().atMost(Duration.ofSeconds(5)).until(() -> loxilb.posts().size() == 2);
        List<FakeLoxilb.Request> calls = loxilb.requests().stream().filter(r -> !r.method().equals("GET")).toList();
        assertThat(calls).extracting(FakeLoxilb.Request::method).containsExactly("POST", "DELETE", "POST");
        assertThat(calls.get(2).json().path("serviceArguments").path("name").asString()).isEqualTo("default_b:llb-inst0");
    }

    @Test
    void switchingBgpOffDeletesTheRuleWithBgpTrueThenPostsIt() {
        target.start();
        store.replace("default/a", List.of(rule("123.123.123.15", 80, "default_a:llb-inst0", true, "192.168.57.101:30080")));
        await().atMost(Duration.ofSeconds(5)).until(() -> loxilb.posts().size() == 1);
        store.replace("default/a", List.of(rule("123.123.123.15", 80, "default_a:llb-inst0", false, "192.168.57.101:30080")));
        await().atMost(Duration.ofSeconds(5)).until(() -> loxilb.posts().size() == 2);
        assertThat(loxilb.deletes()).singleElement().satisfies(d -> assertThat(d.query()).isEqualTo("bgp=true&block=0"));
        assertThat(loxilb.posts().get(1).json().path("serviceArguments").path("BGP").asBoolean()).isFalse();
    }

    @Test
    void staleRulesOfVanishedServicesAreSweptAndForeignNamesOnOurKeysReplaced() throws Exception {
        LoxilbClient direct = new LoxilbClient(loxilb.url(), Duration.ofSeconds(2));
        direct.create(rule("123.123.123.15", 80, "default_gone:llb-inst0", true, "192.168.57.101:30080"));
        direct.create(rule("123.123.123.15", 81, "default_old:llb-inst0", false, "192.168.57.101:30081"));
        direct.create(rule("123.123.123.15", 82, "default_kept:llb-inst0", false, "192.168.57.101:30082"));
        target.close();
        target = new LoxilbTarget(loxilb.url(), store, Duration.ofMillis(100), Duration.ofMillis(300), Duration.ofSeconds(2),
                name -> name.equals("default_gone:llb-inst0") || name.equals("default_old:llb-inst0"));
        store.replace("default/new", List.of(rule("123.123.123.15", 81, "default_new:llb-inst0", false, "192.168.57.101:30091")));
        target.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> loxilb.ruleKeys().equals(List.of("123.123.123.15:81/tcp", "123.123.123.15:82/tcp")));
        assertThat(loxilb.deletes()).filteredOn(d -> d.path().contains("/port/80/")).singleElement()
                .satisfies(d -> assertThat(d.query()).isEqualTo("bgp=true&block=0"));
        await().atMost(Duration.ofSeconds(5)).until(() -> loxilb.posts().get(loxilb.posts().size() - 1)
                .json().path("serviceArguments").path("name").asString().equals("default_new:llb-inst0")
                && loxilb.deletes().stream().anyMatch(d -> d.path().contains("/port/81/")));
    }

    @Test
    void aRestartedLoxilbGetsEveryRuleAgain() throws Exception {
        target.start();
        store.replace("default/a", List.of(rule("123.123.123.15", 80, "default_a:llb-inst0", false, "192.168.57.101:30080")));
        store.replace("default/b", List.of(rule("123.123.123.15", 443, "default_b:llb-inst0", false, "192.168.57.101:30443")));
        await().atMost(Duration.ofSeconds(5)).until(() -> loxilb.ruleKeys().size() == 2);
        loxilb.stop();
        await().atMost(Duration.ofSeconds(5)).until(() -> Boolean.FALSE.equals(target.status().reachable()));
        loxilb.clearRequests();
        loxilb.restart();
        await().atMost(Duration.ofSeconds(5)).until(() -> loxilb.ruleKeys().size() == 2);
        assertThat(loxilb.posts()).hasSize(2);
    }

    @Test
    void aRestartTooQuickToNoticeIsHealedByTheNextProbe() throws Exception {
        target.start();
        store.replace("default/a", List.of(rule("123.123.123.15", 80, "default_a:llb-inst0", false, "192.168.57.101:30080")));
        await().atMost(Duration.ofSeconds(5)).until(() -> loxilb.ruleKeys().size() == 1);
        loxilb.restart();
        await().atMost(Duration.ofSeconds(5)).until(() -> loxilb.ruleKeys().size() == 1);
    }

    @Test
    void failuresAreRetriedAndExistsAnswersAreSuccess() {
        loxilb.failNextPosts(2);
        target.start();
        store.replace("default/a", List.of(rule("123.123.123.15", 80, "default_a:llb-inst0", false, "192.168.57.101:30080")));
        await().atMost(Duration.ofSeconds(10)).until(() -> loxilb.ruleKeys().size() == 1);
        assertThat(loxilb.posts()).hasSize(3);
        // a second controller instance posting the same rule gets 409 lbrule-exists: that is success
        try (LoxilbTarget second = new LoxilbTarget(loxilb.url(), store, Duration.ofMillis(100), Duration.ofSeconds(30), Duration.ofSeconds(2))) {
            second.start();
            await().atMost(Duration.ofSeconds(5)).until(() -> second.status().installed() == 1 && second.status().pending() == 0);
        }
        assertThat(loxilb.posts()).hasSize(4);
    }

    /**
     * A target starting (markAllDirty) while a Service change is being told to the listeners: the
     * store's monitor is held by the change, which then calls the target's changed(). markAllDirty
     * once read store.keys() while holding the target's lock, so the two threads waited on each other.
     */
    @Test
    void startingWhileTheStoreNotifiesDoesNotDeadlock() throws Exception {
        AtomicReference<Thread> starter = new AtomicReference<>();
        CountDownLatch inReplace = new CountDownLatch(1);
        // Runs first on the store's first notification (under its monitor) and holds it there until
        // the starting thread waits for that monitor.
        store.addListener(new RuleStore.Listener() {
            private boolean held;

            @Override
            public void changed(RuleKey key) {
                if (held) {
                    return;
                }
                held = true;
                inReplace.countDown();
                await().atMost(Duration.ofSeconds(10)).until(() -> starter.get() != null
                        && starter.get().getState() == Thread.State.BLOCKED);
            }

            @Override
            public void removed(LbRule old) {
            }
        });
        // Two rules: the target, added as a listener meanwhile, hears about the second one under the monitor.
        Thread change = new Thread(() -> store.replace("default/web", List.of(
                rule("123.123.123.15", 80, "default_web:llb-inst0", false, "192.168.57.101:30080"),
                rule("123.123.123.15", 443, "default_web:llb-inst0", false, "192.168.57.101:30443"))), "service-change");
        change.setDaemon(true);
        change.start();
        assertThat(inReplace.await(10, TimeUnit.SECONDS)).isTrue();
        // a target of its own: after a deadlock its monitor stays taken, and tearDown must not wait for it
        LoxilbTarget starting = new LoxilbTarget(loxilb.url(), store, Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(2));
        Thread start = new Thread(starting::start, "target-start");
        start.setDaemon(true);
        starter.set(start);
        start.start();

        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            change.join();
            start.join();
        }, "the Service change and the target's start deadlocked");
        try {
            await().atMost(Duration.ofSeconds(5)).until(() -> loxilb.ruleKeys().size() == 2);
        } finally {
            starting.close();
        }
    }
}
