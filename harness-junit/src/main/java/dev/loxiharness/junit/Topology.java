package dev.loxiharness.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the test class against a topology brought up once before its first test and removed after
 * its last, also when tests fail. Fields and parameters of type {@link TopologyHandle} receive it.
 * When a test fails, everything the topology's daemons believed is saved under
 * {@code target/evidence/<class>/<test>/} and attached to the Allure report.
 *
 * <pre>{@code
 * @Topology("seed.yaml")
 * class MyScenario {
 *     @Test
 *     void vipAnswers(TopologyHandle topo) {
 *         assertThat(topo.http("client", "http://123.123.123.15:8888/").status()).isEqualTo(200);
 *     }
 * }
 * }</pre>
 *
 * <p>A {@code @Nested} class runs on its enclosing class's topology unless it declares a
 * {@code @Topology} of its own, also when it inherits one from a superclass: so scenario classes
 * written for one topology can run, nested, on another one that several of them share.
 *
 * <p>System properties: {@code loxiharness.topology} replaces the file of every class (e.g.
 * {@code -Dloxiharness.topology=seed-l2.yaml}), {@code loxiharness.backend} picks {@code netns}
 * (default) or {@code kind}; classes are skipped, with the reason, where the backend cannot run
 * (not root, tools or images missing).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(TopologyExtension.class)
public @interface Topology {
    /** A topology file: a name in {@code <home>/topologies/} ({@code .yaml} may be left out) or a path. */
    String value() default "seed.yaml";
}
