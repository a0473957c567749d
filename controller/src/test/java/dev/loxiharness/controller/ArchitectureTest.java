package dev.loxiharness.controller;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The controller's layers: the entry points ({@code ControllerMain}, {@code LoadBalancerController})
 * on top, the Kubernetes side ({@code k8s}) below them, then {@code config}, {@code ipam} and the
 * loxilb side ({@code loxilb}), which know nothing of Kubernetes.
 */
@AnalyzeClasses(packages = "dev.loxiharness.controller", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    @ArchTest
    static final ArchRule noPackageCycles = slices().matching("dev.loxiharness.controller.(*)..").should().beFreeOfCycles();

    /** The slices above leave out the top package: nothing below it may reach back up. */
    @ArchTest
    static final ArchRule nothingUsesTheEntryPoints = noClasses()
            .that().resideInAnyPackage("dev.loxiharness.controller.*..")
            .should().dependOnClassesThat().resideInAPackage("dev.loxiharness.controller");

    @ArchTest
    static final ArchRule onlyTheKubernetesSideSpeaksKubernetes = noClasses()
            .that().resideInAnyPackage("..controller.loxilb..", "..controller.ipam..", "..controller.config..")
            .should().dependOnClassesThat().resideInAnyPackage("io.fabric8..", "..controller.k8s..");
}
