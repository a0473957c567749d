package dev.loxiharness.junit;

import dev.loxiharness.console.Progress;
import dev.loxiharness.exec.Host;
import dev.loxiharness.exec.Paths;
import dev.loxiharness.harness.backend.Backend;
import dev.loxiharness.harness.backend.Backends;
import dev.loxiharness.harness.backend.RunningTopology;
import dev.loxiharness.harness.evidence.Evidence;
import dev.loxiharness.harness.model.Topology;
import dev.loxiharness.harness.model.TopologyLoader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestInstancePostProcessor;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.platform.commons.support.AnnotationSupport;
import org.opentest4j.TestAbortedException;

/**
 * The JUnit 5 side of {@link Topology}: skips a class where its backend cannot run (saying why),
 * brings the topology up before the class's first test and down after its last (also on failure,
 * and on JVM exit), hands out the {@link TopologyHandle}, and saves the evidence of every failed
 * test without ever replacing the test's own failure.
 */
public final class TopologyExtension implements ExecutionCondition, BeforeAllCallback, AfterAllCallback,
        TestInstancePostProcessor, ParameterResolver, BeforeEachCallback, AfterTestExecutionCallback, TestWatcher {

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(TopologyExtension.class);
    private static final String RUNNING = "running";
    private static final String EVIDENCE_DONE = "evidence collected";
    /** The picture of the topology at the moment of failure, in the evidence folder. */
    static final String PICTURE = "topology.svg";

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext ctx) {
        if (ctx.getTestMethod().isPresent() || ctx.getTestClass().isEmpty() || inherited(ctx) != null) {
            return ConditionEvaluationResult.enabled("the class decides");
        }
        Path home = Host.home();
        dev.loxiharness.harness.model.Topology t = selected(ctx.getRequiredTestClass());
        Backend backend = Backends.of(t, Settings.backend().orElse(null));
        @SuppressWarnings("unchecked")
        Optional<String> whyNot = ctx.getRoot().getStore(NS)
                .getOrComputeIfAbsent("why not " + backend.name() + " " + t.source(), k -> backend.whyNot(t, home), Optional.class);
        AllureEnvironment.record("backend", backend.name());
        if (whyNot.isPresent()) {
            System.out.println("SKIPPED " + ctx.getRequiredTestClass().getSimpleName() + ": " + whyNot.get());
            return ConditionEvaluationResult.disabled(whyNot.get());
        }
        return ConditionEvaluationResult.enabled(backend.name() + " backend available");
    }

    @Override
    public void beforeAll(ExtensionContext ctx) {
        TopologyHandle handle = ensureUp(ctx);
        injectFields(ctx.getRequiredTestClass(), null, handle);
        ctx.getTestInstance().ifPresent(i -> injectFields(i.getClass(), i, handle));
    }

    @Override
    public void afterAll(ExtensionContext ctx) {
        Running r = ctx.getStore(NS).remove(RUNNING, Running.class);
        if (r != null) {
            r.close();
        }
    }

    @Override
    public void postProcessTestInstance(Object instance, ExtensionContext ctx) {
        // with a per-class lifecycle the instance exists before beforeAll
        injectFields(instance.getClass(), instance, ensureUp(classContext(ctx)));
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext ctx) {
        return p.getParameter().getType() == TopologyHandle.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext ctx) {
        try {
            return ensureUp(classContext(ctx));
        } catch (RuntimeException e) {
            throw new ParameterResolutionException("no topology for " + p.getParameter() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void beforeEach(ExtensionContext ctx) {
        Running r = find(ctx);
        if (r != null) {
            AllureGlue.parameter("topology", r.handle.file().getFileName() + " (as " + r.handle.name() + ")");
            AllureGlue.parameter("backend", r.handle.backend());
        }
    }

    /**
     * Right after the test method, before {@code @AfterEach} changes anything: the picture of the
     * topology as the test left it (on a failure: at the moment of failure, also into the evidence
     * folder), and on a failure the evidence. A skipped test gets neither, nor does a passed one
     * that no Allure report is written for.
     */
    @Override
    public void afterTestExecution(ExtensionContext ctx) {
        Optional<Throwable> failure = ctx.getExecutionException();
        if (failure.isPresent() && failure.get() instanceof TestAbortedException || failure.isEmpty() && !AllureGlue.active()) {
            // skipped, or passed where no report would show the picture
            return;
        }
        Running r = find(ctx);
        Optional<TopologyPicture> picture = r == null ? Optional.empty() : TopologyPicture.take(r.handle);
        picture.ifPresent(p -> AllureGlue.attachSvg((failure.isPresent() ? "topology at the failure" : "topology after the test")
                + " (drawn in " + p.cost() + ")", p.svg()));
        failure.ifPresent(e -> collectEvidence(ctx, e, picture));
    }

    @Override
    public void testFailed(ExtensionContext ctx, Throwable cause) {
        // failures outside the test method (@BeforeEach, @AfterEach) have no evidence yet
        collectEvidence(ctx, cause, Optional.empty());
    }

    /** Never throws: the test's own failure is what JUnit reports. */
    private void collectEvidence(ExtensionContext ctx, Throwable cause, Optional<TopologyPicture> picture) {
        try {
            ExtensionContext.Store methodStore = ctx.getStore(NS);
            if (methodStore.get(EVIDENCE_DONE) != null) {
                return;
            }
            methodStore.put(EVIDENCE_DONE, Boolean.TRUE);
            Running r = find(ctx);
            if (r == null) {
                return;
            }
            Path dir = Settings.evidenceDir().resolve(className(ctx.getRequiredTestClass())).resolve(testName(ctx));
            deleteTree(dir);
            Evidence.Report report = r.handle.collectEvidence(dir);
            StringWriter trace = new StringWriter();
            cause.printStackTrace(new PrintWriter(trace));
            Files.writeString(dir.resolve("failure.txt"), trace.toString());
            if (picture.isPresent()) {
                Files.writeString(dir.resolve(PICTURE), picture.get().svg());
            }
            System.err.printf("evidence of the failure of %s: %s (%d files, %d failed probes, %d ms)%n", ctx.getDisplayName(), dir,
                    report.items().size(), report.failed(), report.took().toMillis());
            AllureGlue.evidence(report);
        } catch (Throwable t) {
            System.err.println("evidence of the failure of " + ctx.getDisplayName() + " could not be collected: " + t);
        }
    }

    /**
     * The topology file {@code testClass} will run on ({@code -Dloxiharness.topology}, else its
     * {@link Topology} annotation), parsed but not brought up: for conditions such as
     * {@code @EnabledIf} that decide before anything starts.
     */
    public static Topology selected(Class<?> testClass) {
        return TopologyLoader.load(selectedFile(testClass, Host.home()), Settings.overrides());
    }

    static Path selectedFile(Class<?> testClass, Path home) {
        String spec = Settings.topologyOverride().orElseGet(() -> AnnotationSupport.findAnnotation(testClass,
                dev.loxiharness.junit.Topology.class).map(dev.loxiharness.junit.Topology::value).orElse("seed.yaml"));
        return Settings.topologyFile(spec, home);
    }

    private static TopologyHandle ensureUp(ExtensionContext classCtx) {
        Running inherited = inherited(classCtx);
        if (inherited != null) {
            return inherited.handle;
        }
        return classCtx.getStore(NS).getOrComputeIfAbsent(RUNNING, k -> Running.up(classCtx.getRequiredTestClass()), Running.class).handle;
    }

    /**
     * The topology of an enclosing class, for a {@code @Nested} class that does not declare a
     * {@code @Topology} itself: one that only inherits it from a superclass (a scenario class
     * reused inside another) runs on its enclosing class's topology too.
     */
    private static Running inherited(ExtensionContext classCtx) {
        if (classCtx.getTestClass().map(c -> c.getDeclaredAnnotation(dev.loxiharness.junit.Topology.class) != null).orElse(false)) {
            return null;
        }
        return classCtx.getParent().map(p -> p.getStore(NS).get(RUNNING, Running.class)).orElse(null);
    }

    private static Running find(ExtensionContext ctx) {
        return ctx.getStore(NS).get(RUNNING, Running.class);
    }

    private static ExtensionContext classContext(ExtensionContext ctx) {
        ExtensionContext c = ctx;
        while (c.getTestMethod().isPresent() && c.getParent().isPresent()) {
            c = c.getParent().get();
        }
        return c;
    }

    private static void injectFields(Class<?> type, Object instance, TopologyHandle handle) {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (f.getType() == TopologyHandle.class && Modifier.isStatic(f.getModifiers()) == (instance == null)
                        && !Modifier.isFinal(f.getModifiers())) {
                    try {
                        f.setAccessible(true);
                        f.set(instance, handle);
                    } catch (IllegalAccessException e) {
                        throw new IllegalStateException("cannot inject the topology into " + f, e);
                    }
                }
            }
        }
    }

    static String className(Class<?> c) {
        String n = c.getName();
        return n.substring(n.lastIndexOf('.') + 1);
    }

    static String testName(ExtensionContext ctx) {
        String method = ctx.getTestMethod().map(Method::getName).orElse("class");
        String display = ctx.getDisplayName();
        String name = display.startsWith(method + "(") ? method : method + "-" + display;
        name = name.replaceAll("[^A-Za-z0-9._-]+", "_");
        return name.length() > 100 ? name.substring(0, 100) : name;
    }

    static void deleteTree(Path dir) throws IOException {
        Paths.deleteTree(dir);
    }

    /** A topology that is up, owned by one test class; closing it brings it down. */
    static final class Running implements AutoCloseable {
        final TopologyHandle handle;
        private final Thread shutdownHook;
        private boolean closed;

        private Running(TopologyHandle handle) {
            this.handle = handle;
            this.shutdownHook = new Thread(() -> {
                System.err.println("JVM exit: removing " + handle);
                handle.down();
            }, "topology-down " + handle.name());
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }

        /**
         * The settings that run {@code loaded} under a name of its own, and its containers named in
         * the file (seed-docker's {@code loxilb}) under names of their own with the same suffix: so
         * test JVMs side by side, and someone's {@code ./topology up} of the file, never collide.
         */
        static Map<String, String> uniqueNames(Topology loaded) {
            String name = Topology.uniqueName(loaded.name());
            String suffix = name.substring(name.lastIndexOf('-'));
            Map<String, String> settings = new LinkedHashMap<>(loaded.settings());
            settings.put("name", name);
            loaded.nodes().forEach((node, n) -> {
                if (n.container() != null && n.container().name() != null) {
                    settings.put("nodes." + node + ".container.name", n.container().name() + suffix);
                }
            });
            return settings;
        }

        static Running up(Class<?> testClass) {
            Path home = Host.home();
            Path file = selectedFile(testClass, home);
            Topology t = TopologyLoader.load(file, uniqueNames(TopologyLoader.load(file, Settings.overrides())));
            Backend backend = Backends.of(t, Settings.backend().orElse(null));
            Optional<String> whyNot = backend.whyNot(t, home);
            if (whyNot.isPresent()) {
                throw new TestAbortedException(whyNot.get());
            }
            System.out.println("topology " + t.name() + " (" + file.getFileName() + ") on the " + backend.name() + " backend for "
                    + testClass.getSimpleName() + ":");
            // under Maven's runners: plain lines, one per step (a terminal is not what they print to)
            Progress progress = Progress.on(System.out);
            RunningTopology topo = backend.up(t, home, progress);
            progress.step("up");
            AllureEnvironment.record("topology." + testClass.getSimpleName(), file.getFileName().toString());
            return new Running(new TopologyHandle(topo, file, home));
        }

        @Override
        public synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            long start = System.nanoTime();
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // the JVM is exiting: the hook does it
                return;
            }
            handle.down();
            System.out.printf("topology %s down in %.2f s%n", handle.name(), (System.nanoTime() - start) / 1e9);
        }
    }
}
