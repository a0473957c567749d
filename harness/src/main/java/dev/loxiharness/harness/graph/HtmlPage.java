package dev.loxiharness.harness.graph;

/** A page that shows an SVG inline: one file, no scripts, styles or fonts from elsewhere. */
public final class HtmlPage {
    private HtmlPage() {
    }

    /** {@code svg} (as {@code dot -Tsvg} writes it: XML prolog and DOCTYPE are dropped) in a page titled {@code title}. */
    public static String of(String title, String svg) {
        int start = svg.indexOf("<svg");
        String inline = start < 0 ? svg : svg.substring(start);
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + DotWriter.html(title) + "</title>\n"
                + "<style>body { margin: 1em; font-family: Helvetica, Arial, sans-serif; } svg { max-width: 100%; height: auto; }</style>\n"
                + "</head>\n<body>\n" + inline + (inline.endsWith("\n") ? "" : "\n") + "</body>\n</html>\n";
    }
}
