package dev.loxiharness.apiserver;

import java.util.List;
import java.util.Locale;

/** One served resource type: what discovery lists and what request paths resolve to. */
record ApiResource(String group, String version, String plural, String singular, String kind, boolean namespaced,
        List<String> shortNames, List<String> categories, boolean statusSubresource, boolean builtIn) {

    static ApiResource of(String groupVersion, String plural, String kind, boolean namespaced,
            boolean statusSubresource, List<String> shortNames, List<String> categories) {
        int slash = groupVersion.indexOf('/');
        String group = slash < 0 ? "" : groupVersion.substring(0, slash);
        String version = groupVersion.substring(slash + 1);
        return new ApiResource(group, version, plural, kind.toLowerCase(Locale.ROOT), kind, namespaced, shortNames,
                categories, statusSubresource, true);
    }

    String groupVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }

    /** How the real server names a resource in messages: {@code services}, {@code bgppeers.projectcalico.org}. */
    String qualifiedPlural() {
        return group.isEmpty() ? plural : plural + "." + group;
    }

    String basePath() {
        return group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version;
    }

    /** Collection path; null namespace means all namespaces or cluster scope (also the store's key of the resource). */
    String collectionPath(String namespace) {
        return basePath() + (namespaced && namespace != null ? "/namespaces/" + namespace : "") + "/" + plural;
    }

    String objectPath(String namespace, String name) {
        return collectionPath(namespace) + "/" + name;
    }
}
