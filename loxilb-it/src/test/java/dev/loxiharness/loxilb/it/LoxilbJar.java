package dev.loxiharness.loxilb.it;

import java.util.ArrayList;
import java.util.List;

/**
 * How these tests start the Java loxilb's jar ({@code -Dloxilb.jar}, by default this build's): with
 * the JVM options {@code bin/loxilb} starts it with (C1 only, the serial collector), so that the
 * daemons under test run as users run them, at the CPU cost they have there.
 */
final class LoxilbJar {
    static final String PATH = System.getProperty("loxilb.jar", "../loxilb/target/loxilb.jar");

    private LoxilbJar() {
    }

    /** {@code java} with the launcher's options and heap {@code maxHeap}, running the jar with {@code args}. */
    static List<String> command(String maxHeap, String... args) {
        List<String> cmd = new ArrayList<>(List.of("java", "-Xmx" + maxHeap, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", PATH));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** loxicmd from the same jar, as {@code bin/loxicmd} runs it. */
    static List<String> loxicmd(String... args) {
        List<String> cmd = new ArrayList<>(List.of("java", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", PATH,
                "dev.loxiharness.loxilb.cmd.LoxicmdMain"));
        cmd.addAll(List.of(args));
        return cmd;
    }
}
