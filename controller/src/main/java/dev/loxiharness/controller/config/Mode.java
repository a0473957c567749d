package dev.loxiharness.controller.config;


/** The two upstream roles this controller can play. */
public enum Mode {
    /** loxi-ccm: LoadBalancer Services without {@code spec.loadBalancerClass}, configured by a ConfigMap. */
    CCM("ccm", "loxi-ccm"),
    /** kube-loxilb: LoadBalancer Services with {@code loadBalancerClass: loxilb.io/loxilb}, configured by flags. */
    KUBE_LOXILB("kube-loxilb", "kube-loxilb");

    private final String flag;
    private final String component;

    Mode(String flag, String component) {
        this.flag = flag;
        this.component = component;
    }

    /** The value of {@code --mode}. */
    public String flag() {
        return flag;
    }

    /** The name this role reports as the source of Events. */
    public String component() {
        return component;
    }

    public static Mode fromFlag(String value) {
        for (Mode m : values()) {
            if (m.flag.equalsIgnoreCase(value) || m.name().equalsIgnoreCase(value)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown mode '" + value + "' (expected ccm or kube-loxilb)");
    }
}
