package dev.loxiharness.apiserver;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class PatchesTest {
    private static JsonNode json(String text) {
        return Json.parse(text.replace('\'', '"'), false);
    }

    @Test
    void mergePatchReplacesListsAndRemovesNulls() {
        assertThat(Patches.mergePatch(json("{'a':{'b':1,'c':2},'l':[1,2]}"), json("{'a':{'b':null,'d':3},'l':[3]}")))
                .isEqualTo(json("{'a':{'c':2,'d':3},'l':[3]}"));
    }

    @Test
    void strategicMergeMergesListsByKeyAndHonoursDirectives() {
        JsonNode pod = json("{'metadata':{'finalizers':['a']},'spec':{'containers':[{'name':'c','image':'x',"
                + "'ports':[{'containerPort':80}],'env':[{'name':'A','value':'1'}]},{'name':'gone','image':'y'}],"
                + "'tolerations':[{'key':'t'}]}}");
        JsonNode patch = json("{'metadata':{'finalizers':['b'],'$deleteFromPrimitiveList/finalizers':['a']},"
                + "'spec':{'$setElementOrder/containers':[{'name':'c'}],'containers':[{'name':'c','image':'z',"
                + "'env':[{'name':'B','value':'2'}]},{'name':'gone','$patch':'delete'}],'tolerations':[{'key':'u'}]}}");
        assertThat(Patches.strategicMerge(pod, patch)).isEqualTo(json("{'metadata':{'finalizers':['b']},'spec':{"
                + "'containers':[{'name':'c','image':'z','ports':[{'containerPort':80}],'env':[{'name':'A','value':'1'},"
                + "{'name':'B','value':'2'}]}],'tolerations':[{'key':'u'}]}}"));
    }

    @Test
    void strategicMergeKeysServicePortsByPortAndSupportsReplaceAndRetainKeys() {
        JsonNode service = json("{'spec':{'ports':[{'port':80,'nodePort':30000},{'port':443}],'selector':{'a':'1','b':'2'}}}");
        assertThat(Patches.strategicMerge(service, json("{'spec':{'ports':[{'port':80,'name':'http'}]}}")))
                .isEqualTo(json("{'spec':{'ports':[{'port':80,'nodePort':30000,'name':'http'},{'port':443}],"
                        + "'selector':{'a':'1','b':'2'}}}"));
        assertThat(Patches.strategicMerge(service, json("{'spec':{'selector':{'$patch':'replace','c':'3'}}}")))
                .isEqualTo(json("{'spec':{'ports':[{'port':80,'nodePort':30000},{'port':443}],'selector':{'c':'3'}}}"));
        assertThat(Patches.strategicMerge(service, json("{'spec':{'$retainKeys':['selector'],'selector':{'a':'9'}}}")))
                .isEqualTo(json("{'spec':{'selector':{'a':'9','b':'2'}}}"));
    }

    @Test
    void ageReadsAsOnARealCluster() {
        assertThat(Tables.humanDuration(Duration.ofSeconds(5))).isEqualTo("5s");
        assertThat(Tables.humanDuration(Duration.ofSeconds(182))).isEqualTo("3m2s");
        assertThat(Tables.humanDuration(Duration.ofMinutes(250))).isEqualTo("4h10m");
        assertThat(Tables.humanDuration(Duration.ofHours(51))).isEqualTo("2d3h");
    }

    @Test
    void selectorsEvaluateSetBasedLabelsAndAnyField() {
        JsonNode pod = json("{'metadata':{'name':'p','labels':{'app':'web','tier':'edge'}},'spec':{'nodeName':'node1'}}");
        assertThat(Selector.parse("app in (web,api),!legacy,tier!=db", "spec.nodeName=node1").test(pod)).isTrue();
        assertThat(Selector.parse("app notin (web)", null).test(pod)).isFalse();
        assertThat(Selector.parse(null, "spec.nodeName==node2").test(pod)).isFalse();
        assertThat(Selector.parse(null, "status.phase!=Running").test(pod)).isTrue();
    }
}
