package dev.loxiharness.loxilb.cmd;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TableWriterTest {

    @Test
    void legacySeedTableByteForByte() {
        String table = new TableWriter()
                .header(GetCommand.LB_LEGACY_TITLE)
                .row("123.123.123.15", "8888", "tcp", "0", "2")
                .render();
        assertThat(table).isEqualTo("""
                |  EXTERNAL IP   | PORT | PROTOCOL | SELECT | # OF ENDPOINTS |
                |----------------|------|----------|--------|----------------|
                | 123.123.123.15 | 8888 | tcp      |      0 |              2 |
                """);
    }

    /** tablewriter v0.0.5's TestPrintingInMarkdown, which uses exactly loxicmd's settings. */
    @Test
    void tablewriterMarkdownGolden() {
        TableWriter t = new TableWriter().header("Date", "Description", "CV2", "Amount");
        t.row("1/1/2014", "Domain name", "2233", "$10.98");
        t.row("1/1/2014", "January Hosting", "2233", "$54.95");
        t.row("1/4/2014", "February Hosting", "2233", "$51.00");
        t.row("1/4/2014", "February Extra Bandwidth", "2233", "$30.00");
        assertThat(t.render()).isEqualTo("""
                |   DATE   |       DESCRIPTION        | CV2  | AMOUNT |
                |----------|--------------------------|------|--------|
                | 1/1/2014 | Domain name              | 2233 | $10.98 |
                | 1/1/2014 | January Hosting          | 2233 | $54.95 |
                | 1/4/2014 | February Hosting         | 2233 | $51.00 |
                | 1/4/2014 | February Extra Bandwidth | 2233 | $30.00 |
                """);
    }

    /** tablewriter's Example_autowrap (wrap + reflow on, as defaulted), with loxicmd's borders. */
    @Test
    void wrapsCellsAndHeadersBeyondThirtyColumns() {
        String multiline = "A multiline\nstring with some lines being really long.";
        assertThat(new TableWriter().header("woo", "waa").row("woo", multiline).render()).isEqualTo("""
                | WOO |              WAA               |
                |-----|--------------------------------|
                | woo | A multiline string with some   |
                |     | lines being really long.       |
                """);
        assertThat(new TableWriter().header("woo", multiline).row("woo", "waa").render()).isEqualTo("""
                | WOO |  A MULTILINE STRING WITH SOME  |
                |     |    LINES BEING REALLY LONG     |
                |-----|--------------------------------|
                | woo | waa                            |
                """);
    }

    @Test
    void currentLoadBalancerHeader() {
        String table = new TableWriter()
                .header(GetCommand.LB_TITLE)
                .row("10.10.10.1", "80", "tcp", "web", "0", "rr", "fullnat", "2", "240", "On")
                .render();
        assertThat(table).isEqualTo("""
                |   EXT IP   | PORT | PROTO | NAME | MARK | SEL |  MODE   | # OF ENDPOINTS | TIMEOUT | MONITOR |
                |------------|------|-------|------|------|-----|---------|----------------|---------|---------|
                | 10.10.10.1 |   80 | tcp   | web  |    0 | rr  | fullnat |              2 |     240 | On      |
                """);
    }

    @Test
    void wideTableWithTwoEndpoints() {
        LbModel rule = new LbModel();
        rule.externalIP = "20.20.20.1";
        rule.port = 2020;
        rule.protocol = "tcp";
        rule.inactiveTimeOut = 240;
        LbModel.Endpoint ep1 = new LbModel.Endpoint("31.31.31.1", 8080, 1);
        ep1.state = "active";
        ep1.counter = "0:0";
        LbModel.Endpoint ep2 = new LbModel.Endpoint("32.32.32.1", 8080, 1);
        ep2.state = "active";
        ep2.counter = "5:420";
        rule.endpoints = List.of(ep1, ep2);

        assertThat(GetCommand.Lb.render(List.of(rule), true, false)).isEqualTo("""
                |   EXT IP   | SEC IPS | SOURCES | HOST | PORT | PROTO | NAME | MARK | SEL |  MODE   |  ENDPOINT  \
                | EPORT | WEIGHT | STATE | COUNTERS |
                |------------|---------|---------|------|------|-------|------|------|-----|---------|------------\
                |-------|--------|-------|----------|
                | 20.20.20.1 |         |         |      | 2020 | tcp   |      |    0 | rr  | default | 31.31.31.1 \
                |  8080 |      1 | -     | 0:0      |
                |            |         |         |      |      |       |      |      |     |         | 32.32.32.1 \
                |  8080 |      1 | -     | 5:420    |
                """);
    }

    @Test
    void emptyTableRendersNothingButAHeaderAloneIsPrinted() {
        assertThat(new TableWriter().render()).isEmpty();
        assertThat(new TableWriter().header(GetCommand.HASTATE_TITLE).render()).isEqualTo("""
                | INSTANCE | HASTATE |
                |----------|---------|
                """);
    }

    @Test
    void onlyDecimalLookingCellsAreRightAligned() {
        String table = new TableWriter().header("abcdefgh")
                .row("-").row("-12.5").row("1,234").row("1.2.3").row("0:0").render();
        assertThat(table).isEqualTo("""
                | ABCDEFGH |
                |----------|
                | -        |
                |    -12.5 |
                |    1,234 |
                | 1.2.3    |
                | 0:0      |
                """);
    }

    @Test
    void titleFollowsTablewriter() {
        assertThat(TableWriter.title("# of Endpoints")).isEqualTo("# OF ENDPOINTS");
        assertThat(TableWriter.title("host_name")).isEqualTo("HOST NAME");
        assertThat(TableWriter.title("v1.2")).isEqualTo("V1.2");
        assertThat(TableWriter.title("a.b")).isEqualTo("A B");
    }
}
