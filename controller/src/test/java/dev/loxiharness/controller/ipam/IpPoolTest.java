package dev.loxiharness.controller.ipam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IpPoolTest {
    private static final Set<String> HTTP = Set.of("80/tcp");
    private static final Set<String> WEB = Set.of("8888/tcp");
    /** What {@link #allocate} says where the pool had no address left. */
    private static final String NONE = "(none)";

    @Test
    void aCidrWithAHostPartStartsThere() {
        IpPool pool = IpPool.parse("defaultPool", "123.123.123.15/24", false);
        assertThat(allocate(pool, "default/a", "default/b", "default/c"))
                .containsExactly("123.123.123.15", "123.123.123.16", "123.123.123.17");
        assertThat(pool.contains("123.123.123.14")).isFalse();
        assertThat(pool.contains("123.123.123.255")).isFalse();
    }

    @Test
    void aCidrWithoutHostPartSkipsNetworkAndBroadcast() {
        IpPool pool = IpPool.parse("p", "10.0.0.0/30", false);
        assertThat(allocate(pool, "a", "b", "c")).containsExactly("10.0.0.1", "10.0.0.2", NONE);
        // not only for prefixes that are a multiple of 8, where upstream does skip them
        IpPool odd = IpPool.parse("p", "10.0.0.0/25", false);
        assertThat(odd.contains("10.0.0.0")).isFalse();
        assertThat(odd.contains("10.0.0.127")).isFalse();
        assertThat(odd.free()).isEqualTo(126);
    }

    @Test
    void aSlash32IsOneAddressAndARangeIsInclusive() {
        IpPool one = IpPool.parse("p", "192.0.2.7/32", false);
        assertThat(allocate(one, "a", "b")).containsExactly("192.0.2.7", NONE);
        IpPool range = IpPool.parse("p", "192.0.2.10-192.0.2.11", false);
        assertThat(allocate(range, "a", "b", "c")).containsExactly("192.0.2.10", "192.0.2.11", NONE);
    }

    @Test
    void sharedModeGivesServicesWithOtherPortsTheSameAddress() {
        IpPool pool = IpPool.parse("p", "123.123.123.15/24", true);
        assertThat(pool.allocate("default/web", WEB)).contains("123.123.123.15");
        assertThat(pool.allocate("default/http", HTTP)).contains("123.123.123.15");
        assertThat(pool.owners("123.123.123.15")).containsExactlyInAnyOrder("default/web", "default/http");
        // same port and protocol: an address of its own, which is not shared further
        assertThat(pool.allocate("default/web2", WEB)).contains("123.123.123.16");
        assertThat(pool.allocate("default/dns", Set.of("53/udp"))).contains("123.123.123.15");
        // 8888/udp differs from 8888/tcp
        assertThat(pool.allocate("default/webudp", Set.of("8888/udp"))).contains("123.123.123.15");
    }

    @Test
    void uniqueModeGivesEveryServiceItsOwnAddress() {
        IpPool pool = IpPool.parse("p", "123.123.123.15/24", false);
        assertThat(pool.allocate("default/web", WEB)).contains("123.123.123.15");
        assertThat(pool.allocate("default/http", HTTP)).contains("123.123.123.16");
    }

    @Test
    void releasedAddressesAreReusedAfterTheFreshOnesInReleaseOrder() {
        IpPool pool = IpPool.parse("p", "10.1.1.1-10.1.1.4", false);
        assertThat(allocate(pool, "a", "b")).containsExactly("10.1.1.1", "10.1.1.2");
        pool.release("a", "10.1.1.1");
        assertThat(allocate(pool, "c", "d")).containsExactly("10.1.1.3", "10.1.1.4");
        pool.release("b", "10.1.1.2");
        assertThat(allocate(pool, "e", "f", "g")).containsExactly("10.1.1.1", "10.1.1.2", NONE);
    }

    @Test
    void theSharedAddressComesBackOnlyWhenItsLastUserGoes() {
        IpPool pool = IpPool.parse("p", "123.123.123.15/24", true);
        pool.allocate("a", WEB);
        pool.allocate("b", HTTP);
        pool.release("a", "123.123.123.15");
        assertThat(pool.owners("123.123.123.15")).containsExactly("b");
        pool.release("b", "123.123.123.15");
        assertThat(pool.owners("123.123.123.15")).isEmpty();
        // the shared address stays the pool's shared address, as upstream's "first"
        assertThat(pool.allocate("c", WEB)).contains("123.123.123.15");
    }

    @Test
    void exhaustionReturnsEmptyAndReleaseMakesRoom() {
        IpPool pool = IpPool.parse("p", "10.0.0.5/31", false);
        assertThat(pool.allocate("a", WEB)).contains("10.0.0.5");
        Optional<String> none = pool.allocate("b", WEB);
        assertThat(none).isEmpty();
        pool.release("a", "10.0.0.5");
        assertThat(pool.allocate("b", WEB)).contains("10.0.0.5");
    }

    @Test
    void staticAddressesInsideThePoolAreReservedAndSkippedByAllocation() {
        IpPool pool = IpPool.parse("p", "123.123.123.15/24", false);
        assertThat(pool.reserve("default/fixed", "123.123.123.16", WEB)).isEqualTo(IpPool.ReserveResult.RESERVED);
        assertThat(pool.allocate("default/a", WEB)).contains("123.123.123.15");
        assertThat(pool.allocate("default/b", WEB)).contains("123.123.123.17");
        assertThat(pool.reserve("default/other", "123.123.123.16", HTTP)).isEqualTo(IpPool.ReserveResult.IN_USE);
        assertThat(pool.reserve("default/fixed", "123.123.123.16", WEB)).isEqualTo(IpPool.ReserveResult.RESERVED);
        assertThat(pool.reserve("default/out", "10.9.9.9", WEB)).isEqualTo(IpPool.ReserveResult.OUT_OF_RANGE);
    }

    @Test
    void inSharedModeAStaticAddressIsSharedWhenPortsDiffer() {
        IpPool pool = IpPool.parse("p", "123.123.123.15/24", true);
        assertThat(pool.reserve("a", "123.123.123.20", WEB)).isEqualTo(IpPool.ReserveResult.RESERVED);
        assertThat(pool.reserve("b", "123.123.123.20", HTTP)).isEqualTo(IpPool.ReserveResult.RESERVED);
        assertThat(pool.reserve("c", "123.123.123.20", WEB)).isEqualTo(IpPool.ReserveResult.IN_USE);
        // the first reserved address became the pool's shared one
        assertThat(pool.allocate("d", Set.of("443/tcp"))).contains("123.123.123.20");
    }

    @Test
    void portsOfAnOwnerCanChangeUnlessTheyClash() {
        IpPool pool = IpPool.parse("p", "123.123.123.15/24", true);
        pool.allocate("a", WEB);
        pool.allocate("b", HTTP);
        assertThat(pool.updatePorts("a", "123.123.123.15", Set.of("8888/tcp", "9999/tcp"))).isTrue();
        assertThat(pool.updatePorts("a", "123.123.123.15", Set.of("80/tcp"))).isFalse();
    }

    @Test
    void badSpecsAreRefused() {
        assertThatThrownBy(() -> IpPool.parse("p", "123.123.123.0/33", true)).hasMessageContaining("prefix");
        assertThatThrownBy(() -> IpPool.parse("p", "123.123.123/24", true)).hasMessageContaining("not an IPv4");
        assertThatThrownBy(() -> IpPool.parse("p", "10.0.0.9-10.0.0.1", true)).hasMessageContaining("empty");
        assertThatThrownBy(() -> IpPool.parse("p", "pool", true)).hasMessageContaining("not a CIDR");
    }

    @Test
    void aPoolHoldsAtMost65535Addresses() {
        IpPool pool = IpPool.parse("p", "10.0.0.0/8", false);
        assertThat(pool.free()).isEqualTo(65_535);
    }

    /** The addresses {@code pool} hands to {@code owners} in turn (for WEB), {@link #NONE} once it has none left. */
    private static List<String> allocate(IpPool pool, String... owners) {
        return Arrays.stream(owners).map(owner -> pool.allocate(owner, WEB).orElse(NONE)).toList();
    }
}
