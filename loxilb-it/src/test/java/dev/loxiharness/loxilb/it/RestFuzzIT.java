package dev.loxiharness.loxilb.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * A thousand hostile requests against a real daemon in a network namespace: malformed and
 * oversized JSON, wrong types, values out of range, odd paths and methods, raw non-HTTP bytes,
 * and valid rules from small pools so that duplicates, updates and deletes collide. No answer may
 * be a 5xx (bad input is the client's error, never the server's), and every 100 requests and at
 * the end the daemon is alive and its rule table and the nftables ruleset agree.
 *
 * <p>Shrinking is off: the daemon keeps state between tries, so a smaller request would not
 * reproduce a failure; the failing request itself is in the report.
 */
class RestFuzzIT {
    static RelayedDaemon daemon;
    static final AtomicInteger sent = new AtomicInteger();

    @BeforeContainer
    static void up() throws Exception {
        daemon = new RelayedDaemon();
    }

    @AfterContainer
    static void down() {
        if (daemon != null) {
            daemon.close();
        }
    }

    @Provide
    Arbitrary<HostileRequests.Request> hostile() {
        return HostileRequests.any();
    }

    @Property(tries = 1000, shrinking = ShrinkingMode.OFF)
    void noHostileRequestGetsA5xxOrSplitsTheRuleTableFromNft(@ForAll("hostile") HostileRequests.Request r) {
        RelayedDaemon.Answer a = r.raw() != null ? daemon.raw(r.raw()) : daemon.send(r.method(), r.target(), r.body());
        // 505 (HTTP Version Not Supported) is the protocol's own answer to "HTTP/9.9", not a server fault
        int worst = r.raw() != null && a.status() == 505 ? 499 : a.status();
        assertThat(worst).as("answer to %s: %s%nlog tail: %s", r, a.body(), tail()).isLessThan(500);
        if (r.raw() == null) {
            assertThat(a.status()).as("a well-framed request always gets an answer: %s", r).isPositive();
        }
        if (sent.incrementAndGet() % 100 == 0) {
            daemonIsAliveAndAgreesWithNft("after " + sent.get() + " requests, the last " + r);
        }
    }

    @AfterProperty
    void atTheEnd() {
        daemonIsAliveAndAgreesWithNft("after all " + sent.get() + " requests");
    }

    private static void daemonIsAliveAndAgreesWithNft(String when) {
        assertThat(daemon.alive()).as("daemon alive " + when).isTrue();
        assertThat(daemon.send("GET", "/netlox/v1/version", null).status()).as("version " + when).isEqualTo(200);
        assertThat(RuleTableVsNft.differences(daemon)).as("rule table vs nft " + when).isEmpty();
    }

    private static String tail() {
        String log = daemon.log();
        return log.substring(Math.max(0, log.length() - 2000));
    }
}
