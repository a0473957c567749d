package dev.loxiharness.loxilb.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A hundred clients posting the same rule at the same instant (kube-loxilb replicas and retries
 * do this) get it applied exactly once: one 200, and upstream's "exists" answer for the others,
 * with one service in the rule table and one in nftables.
 */
class ConcurrentPostIT {
    static final String RULE = "{\"serviceArguments\":{\"externalIP\":\"10.200.9.9\",\"port\":8888,\"protocol\":\"tcp\"},"
            + "\"endpoints\":[{\"endpointIP\":\"10.0.1.2\",\"targetPort\":8080,\"weight\":1},"
            + "{\"endpointIP\":\"10.0.2.2\",\"targetPort\":8080,\"weight\":1}]}";
    static RelayedDaemon daemon;

    @BeforeAll
    static void up() throws Exception {
        daemon = new RelayedDaemon();
    }

    @AfterAll
    static void down() {
        if (daemon != null) {
            daemon.close();
        }
    }

    @Test
    void aHundredConcurrentPostsOfOneRuleApplyItOnce() throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(100);
        List<Future<RelayedDaemon.Answer>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < 100; i++) {
                answers.add(pool.submit(() -> {
                    go.await();
                    return daemon.send("POST", "/netlox/v1/config/loadbalancer", RULE);
                }));
            }
            go.countDown();
            List<RelayedDaemon.Answer> got = new ArrayList<>();
            for (Future<RelayedDaemon.Answer> f : answers) {
                got.add(f.get());
            }
            assertThat(got).as(daemon.log()).filteredOn(a -> a.status() == 200).hasSize(1)
                    .allSatisfy(a -> assertThat(a.body()).isEqualTo("{\"result\":\"Success\"}"));
            assertThat(got).filteredOn(a -> a.status() != 200).hasSize(99).allSatisfy(a -> {
                assertThat(a.status()).isEqualTo(409);
                assertThat(a.body()).contains("\"result\":\"lbrule-exists error\"");
            });
        } finally {
            pool.shutdownNow();
        }
        assertThat(daemon.send("GET", "/netlox/v1/config/loadbalancer/all", null).body().split("\"externalIP\"", -1))
                .as("one rule listed").hasSize(2);
        assertThat(daemon.nftMap("svcs").split("\"concat\"", -1)).as("one service element in nft").hasSize(2);
        assertThat(RuleTableVsNft.differences(daemon)).isEmpty();
    }
}
