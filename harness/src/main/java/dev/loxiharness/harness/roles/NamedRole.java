package dev.loxiharness.harness.roles;

/** A role whose name and whether it forwards are fixed when it is made: what each role says of itself. */
abstract class NamedRole implements NodeRole {
    private final String name;
    private final boolean forwards;

    NamedRole(String name, boolean forwards) {
        this.name = name;
        this.forwards = forwards;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final boolean forwards() {
        return forwards;
    }
}
