package dev.loxiharness.junit;

import dev.loxiharness.harness.evidence.Evidence;
import io.qameta.allure.Allure;
import io.qameta.allure.model.Status;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What goes into the Allure report beside the test's own steps: the evidence of a failure as one
 * step per section (a node, kubernetes, logs, configs) holding its files, and captures. Does
 * nothing when no test reported to Allure is running (e.g. the adapter is not on the classpath).
 * Never throws: the report is a view on the test, not part of its verdict.
 */
final class AllureGlue {
    /** Allure copies every attachment into its results; a long log is cut to its end. */
    static final int MAX_ATTACHMENT = 512 * 1024;

    private AllureGlue() {
    }

    static boolean active() {
        try {
            return Allure.getLifecycle().getCurrentTestCaseOrStep().isPresent();
        } catch (Throwable t) {
            return false;
        }
    }

    /** A parameter of the running test (shown beside its name in the report). */
    static void parameter(String name, String value) {
        if (!active()) {
            return;
        }
        try {
            Allure.parameter(name, value);
        } catch (Throwable ignored) {
            // the report only
        }
    }

    static void evidence(Evidence.Report report) {
        if (!active()) {
            return;
        }
        try {
            Map<String, List<Evidence.Item>> sections = new LinkedHashMap<>();
            report.items().forEach(i -> sections.computeIfAbsent(i.section(), s -> new ArrayList<>()).add(i));
            Allure.step("evidence of the failure: " + report.items().size() + " files in " + report.dir(), () -> {
                for (Map.Entry<String, List<Evidence.Item>> s : sections.entrySet()) {
                    long failed = s.getValue().stream().filter(i -> !i.ok()).count();
                    Allure.step(s.getKey() + (failed == 0 ? "" : " (" + failed + " probes failed)"), () -> {
                        for (Evidence.Item i : s.getValue()) {
                            try {
                                attach(i.title(), i.mimeType(), i.file(), extension(i.file()));
                            } catch (IOException e) {
                                Allure.addAttachment(i.title() + " (not attached)", "text/plain", e.toString());
                            }
                        }
                        if (failed > 0) {
                            Allure.getLifecycle().updateStep(st -> st.setStatus(Status.BROKEN));
                        }
                    });
                }
                attach("index", "text/plain", report.dir().resolve("index.txt"), "txt");
            });
        } catch (Throwable t) {
            System.err.println("allure: evidence not attached: " + t);
        }
    }

    /** An SVG picture, which the report shows as an image. */
    static void attachSvg(String name, String svg) {
        if (!active()) {
            return;
        }
        try {
            Allure.addAttachment(name, "image/svg+xml", new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)), "svg");
        } catch (Throwable t) {
            System.err.println("allure: " + name + " not attached: " + t);
        }
    }

    static void attachFile(String name, String mime, Path file, String extension) {
        if (!active()) {
            return;
        }
        try {
            attach(name, mime, file, extension);
        } catch (Throwable t) {
            System.err.println("allure: " + file + " not attached: " + t);
        }
    }

    private static void attach(String name, String mime, Path file, String extension) throws IOException {
        if (!Files.isRegularFile(file)) {
            return;
        }
        long size = Files.size(file);
        byte[] bytes;
        String title = name;
        if (size > MAX_ATTACHMENT && !mime.startsWith("application/vnd.tcpdump")) {
            bytes = new byte[MAX_ATTACHMENT];
            try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
                f.seek(size - MAX_ATTACHMENT);
                f.readFully(bytes);
            }
            title = name + " (last " + MAX_ATTACHMENT / 1024 + " KiB of " + size / 1024 + "; whole file: " + file + ")";
        } else {
            bytes = Files.readAllBytes(file);
        }
        Allure.addAttachment(title, mime, new ByteArrayInputStream(bytes), extension);
    }

    private static String extension(Path file) {
        String n = file.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot < 0 ? "txt" : n.substring(dot + 1);
    }
}
