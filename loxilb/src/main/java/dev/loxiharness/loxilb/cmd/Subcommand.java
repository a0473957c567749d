package dev.loxiharness.loxilb.cmd;

import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A loxicmd command that does something: it runs with the root command (global options, the API, stdout). */
abstract class Subcommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public final Integer call() {
        return run(LoxicmdMain.root(spec));
    }

    /** Does the command's work; the exit status. */
    abstract int run(LoxicmdMain root);
}
