package dev.loxiharness.controller.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CcmConfigMapTest {
    private final Settings base = ControllerConfig.ccm().settings();

    @Test
    void theSeedsFlatKeys() {
        Settings s = CcmConfigMap.apply(base, Map.of(
                "apiServerURL", "http://192.168.57.4:11111",
                "externalCIDR", "123.123.123.15/24",
                "setBGP", "true",
                "setLBMode", "1"));
        assertSettings(s, List.of("http://192.168.57.4:11111"), "123.123.123.15/24", true, 1, false);
    }

    @Test
    void severalUrlsCommaSeparatedOrAsAList() {
        assertThat(CcmConfigMap.apply(base, Map.of("apiServerURL", "http://a:11111, http://b:11111")).loxiUrls())
                .containsExactly("http://a:11111", "http://b:11111");
        assertThat(CcmConfigMap.apply(base, Map.of("apiServerURL", "- \"http://a:11111\"\n- \"http://b:11111\"\n")).loxiUrls())
                .containsExactly("http://a:11111", "http://b:11111");
    }

    @Test
    void todaysLoxiCcmYamlKey() {
        Settings s = CcmConfigMap.apply(base, Map.of("loxiccmConfigs", """
                apiServerURL:
                - "http://192.168.59.102:11111"
                - "http://192.168.59.103:11111"
                externalCIDR: "123.123.123.0/24"
                setBGP: true
                setLBMode: 2
                setExclIPAM: true
                """));
        assertSettings(s, List.of("http://192.168.59.102:11111", "http://192.168.59.103:11111"), "123.123.123.0/24",
                true, 2, true);
    }

    @Test
    void absentKeysKeepTheCommandLineValues() {
        Settings flags = base.withLoxiUrls(List.of("http://x:11111")).withLbMode(2);
        Settings s = CcmConfigMap.apply(flags, Map.of("externalCIDR", "10.0.0.0/24"));
        assertThat(s.loxiUrls()).containsExactly("http://x:11111");
        assertThat(s.lbMode()).isEqualTo(2);
    }

    @Test
    void badValuesAreRefusedWithTheirName() {
        assertThatThrownBy(() -> CcmConfigMap.apply(base, Map.of("setLBMode", "fast"))).hasMessageContaining("setLBMode");
        assertThatThrownBy(() -> CcmConfigMap.apply(base, Map.of("setLBMode", "9"))).hasMessageContaining("setLBMode");
        assertThatThrownBy(() -> CcmConfigMap.apply(base, Map.of("setBGP", "maybe"))).hasMessageContaining("setBGP");
    }

    @Test
    void kubeLoxilbSpellsSetBgpAsANumber() {
        assertThat(Settings.parseBgp("65111")).isTrue();
        assertThat(Settings.parseBgp("0")).isFalse();
        assertThat(Settings.parsePools("defaultPool=123.123.123.1/24,pool2=124.124.124.1/24"))
                .containsExactly(Map.entry("defaultPool", "123.123.123.1/24"), Map.entry("pool2", "124.124.124.1/24"));
    }

    private static void assertSettings(Settings s, List<String> urls, String defaultPool, boolean setBgp, int lbMode,
                                       boolean uniqueIp) {
        assertThat(s.loxiUrls()).containsExactlyElementsOf(urls);
        assertThat(s.pools()).containsEntry(Settings.DEFAULT_POOL, defaultPool);
        assertThat(s.setBgp()).isEqualTo(setBgp);
        assertThat(s.lbMode()).isEqualTo(lbMode);
        assertThat(s.uniqueIp()).isEqualTo(uniqueIp);
    }
}
