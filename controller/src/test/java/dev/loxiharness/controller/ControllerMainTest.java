package dev.loxiharness.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loxiharness.controller.config.ControllerConfig;
import dev.loxiharness.controller.config.Mode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ControllerMainTest {

    private static ControllerConfig parse(String... args) {
        ControllerMain main = new ControllerMain();
        new CommandLine(main).parseArgs(args);
        return main.toConfig();
    }

    @Test
    void kubeLoxilbFlagsAsUpstreamSpellsThem() {
        ControllerConfig c = parse("--mode=kube-loxilb", "--loxiURL=http://192.168.57.4:11111,http://192.168.57.5:11111",
                "--externalCIDR=123.123.123.15/24", "--cidrPools=pool2=124.124.124.1/24", "--setBGP=65111", "--setLBMode=2",
                "--setUniqueIP", "--namespace=shop");
        assertThat(c.mode()).isEqualTo(Mode.KUBE_LOXILB);
        assertThat(c.settings().loxiUrls()).containsExactly("http://192.168.57.4:11111", "http://192.168.57.5:11111");
        assertThat(c.settings().pools()).containsExactly(Map.entry("defaultPool", "123.123.123.15/24"), Map.entry("pool2", "124.124.124.1/24"));
        assertThat(c.settings().setBgp()).isTrue();
        assertThat(c.settings().lbMode()).isEqualTo(2);
        assertThat(c.settings().uniqueIp()).isTrue();
        assertThat(c.namespace()).isEqualTo("shop");
        assertThat(c.loadBalancerClass()).isEqualTo("loxilb.io/loxilb");
    }

    @Test
    void kubeLoxilbDefaultsToUpstreamsPoolAndBareSetBgpMeansOn() {
        ControllerConfig c = parse("--loxiURL=http://127.0.0.1:11111", "--setBGP");
        assertThat(c.mode()).isEqualTo(Mode.KUBE_LOXILB);
        assertThat(c.settings().pools()).containsExactly(Map.entry("defaultPool", "123.123.123.1/24"));
        assertThat(c.settings().setBgp()).isTrue();
        assertThat(c.namespace()).isNull();
    }

    @Test
    void ccmReadsItsConfigMapAndTakesFlagsAsDefaults() {
        ControllerConfig c = parse("--mode=ccm", "--configMap=kube-system/loxiccm-config", "--resyncPeriod=10");
        assertThat(c.mode()).isEqualTo(Mode.CCM);
        assertThat(c.configMapName()).isEqualTo("loxiccm-config");
        assertThat(c.settings().pools()).isEmpty();
        assertThat(c.resyncInterval().getSeconds()).isEqualTo(10);
    }

    @Test
    void badValuesAreUsageErrors() {
        assertThatThrownBy(() -> parse("--mode=metallb")).hasMessageContaining("unknown mode");
        assertThatThrownBy(() -> parse("--externalCIDR=123.123.123.0/40")).hasMessageContaining("prefix");
        assertThatThrownBy(() -> parse("--cidrPools=oops")).hasMessageContaining("name=CIDR");
        assertThatThrownBy(() -> parse("--setLBMode=7")).hasMessageContaining("setLBMode");
        StringWriter err = new StringWriter();
        int code = new CommandLine(new ControllerMain()).setErr(new PrintWriter(err)).execute("--noSuchFlag");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("Unknown option: '--noSuchFlag'");
    }

    @Test
    void helpNamesTheRoles() {
        StringWriter out = new StringWriter();
        int code = new CommandLine(new ControllerMain()).setOut(new PrintWriter(out)).execute("--help");
        assertThat(code).isZero();
        assertThat(out.toString()).contains("--mode", "--loxiURL", "--externalCIDR", "--cidrPools", "--setBGP", "--setLBMode",
                "--setUniqueIP", "--kubeconfig", "--namespace", "kube-system/loxilb-config");
    }
}
