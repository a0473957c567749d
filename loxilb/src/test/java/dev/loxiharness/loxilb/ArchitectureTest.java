package dev.loxiharness.loxilb;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The daemon's layers, top to bottom: {@code daemon} (wiring), {@code api} (REST), {@code lb} (rule
 * changes applied), then {@code store}, {@code dataplane}, {@code bgp} and {@code probe}, then the
 * shared {@code wire} model (upstream's JSON) and {@code rules}. {@code cmd} (loxicmd) is a client
 * of the wire model only.
 */
@AnalyzeClasses(packages = "dev.loxiharness.loxilb", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    @ArchTest
    static final ArchRule noPackageCycles = slices().matching("dev.loxiharness.loxilb.(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule onlyTheDaemonUsesTheRestApi = noClasses()
            .that().resideOutsideOfPackages("..loxilb.api..", "..loxilb.daemon..")
            .should().dependOnClassesThat().resideInAnyPackage("..loxilb.api..", "..loxilb.daemon..");

    @ArchTest
    static final ArchRule nothingBelowLbUsesIt = noClasses()
            .that().resideInAnyPackage("..loxilb.store..", "..loxilb.dataplane..", "..loxilb.bgp..", "..loxilb.probe..",
                    "..loxilb.wire..", "..loxilb.rules..", "..loxilb.cmd..")
            .should().dependOnClassesThat().resideInAPackage("..loxilb.lb..");

    @ArchTest
    static final ArchRule theWireModelAndRulesAreTheBottom = noClasses()
            .that().resideInAnyPackage("..loxilb.wire..", "..loxilb.rules..")
            .should().dependOnClassesThat().resideInAnyPackage("..loxilb.store..", "..loxilb.dataplane..", "..loxilb.bgp..",
                    "..loxilb.probe..", "..loxilb.cmd..");

    @ArchTest
    static final ArchRule loxicmdSpeaksTheWireModelOnly = noClasses()
            .that().resideInAPackage("..loxilb.cmd..")
            .should().dependOnClassesThat().resideInAnyPackage("..loxilb.store..", "..loxilb.dataplane..", "..loxilb.bgp..",
                    "..loxilb.probe..");
}
