package dev.loxiharness.harness.netns;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FabricTest {

    @Test
    void macAddressIsMadeFromTheIpv4AddressAsDockerMakesIt() {
        assertThat(Fabric.macOf("192.168.57.4/24")).isEqualTo("02:42:c0:a8:39:04");
        assertThat(Fabric.macOf("10.0.0.255/8")).isEqualTo("02:42:0a:00:00:ff");
    }
}
