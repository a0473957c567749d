package dev.loxiharness.loxilb.cmd;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Renders a table the way upstream loxicmd does: {@code github.com/olekukonko/tablewriter} v0.0.5 with
 * loxicmd's {@code TableInit} settings (left and right borders, no top or bottom border, {@code |} as
 * the centre separator) and the library's defaults otherwise: auto-formatted headers (upper case,
 * {@code _} to space), centred headers with the odd space on the right, numeric-looking cells
 * right-aligned and everything else left-aligned, a column as wide as its widest cell, and cells
 * wider than 30 columns word-wrapped with the library's minimum-raggedness algorithm.
 *
 * <p>An empty table (no header, no rows) renders as the empty string, as upstream prints nothing.
 */
final class TableWriter {
    private static final int MAX_COL_WIDTH = 30;
    private static final long WRAP_PENALTY = 100_000;
    /** tablewriter's {@code decimal}; its {@code percent} pattern ({@code $%$}) can never match. */
    private static final Pattern DECIMAL = Pattern.compile("-?(?:\\d{1,3}(?:,\\d{3})*|\\d+)(?:\\.\\d+)?");
    private static final Pattern ANSI = Pattern.compile("\u001b\\[(?:[0-9]{1,3}(?:;[0-9]{1,3})*)?[m|K]");

    private int[] widths = new int[0];
    private List<List<String>> header;
    private int headerHeight;
    private final List<List<List<String>>> rows = new ArrayList<>();
    private final List<Integer> rowHeights = new ArrayList<>();

    TableWriter header(String... titles) {
        header = new ArrayList<>();
        headerHeight = 0;
        for (int i = 0; i < titles.length; i++) {
            List<String> lines = cellLines(titles[i], i);
            header.add(lines);
            headerHeight = Math.max(headerHeight, lines.size());
        }
        return this;
    }

    TableWriter row(String... cells) {
        List<List<String>> row = new ArrayList<>();
        int height = 0;
        for (int i = 0; i < cells.length; i++) {
            List<String> lines = cellLines(cells[i], i);
            row.add(lines);
            height = Math.max(height, lines.size());
        }
        rows.add(row);
        rowHeights.add(height);
        return this;
    }

    String render() {
        StringBuilder sb = new StringBuilder();
        if (header != null) {
            for (int x = 0; x < headerHeight; x++) {
                sb.append('|');
                for (int y = 0; y < widths.length; y++) {
                    String h = y < header.size() && x < header.get(y).size() ? header.get(y).get(x) : "";
                    sb.append(' ').append(center(title(h), widths[y])).append(" |");
                }
                sb.append('\n');
            }
            separator(sb);
        }
        for (int r = 0; r < rows.size(); r++) {
            List<List<String>> row = rows.get(r);
            int height = rowHeights.get(r);
            for (int x = 0; x < height; x++) {
                for (int y = 0; y < row.size(); y++) {
                    List<String> lines = row.get(y);
                    // tablewriter fills the short cells of a multi-line row with two spaces.
                    String s = x < lines.size() ? lines.get(x) : "  ";
                    boolean numeric = DECIMAL.matcher(s.strip()).matches();
                    sb.append("| ").append(numeric ? padLeft(s, widths[y]) : padRight(s, widths[y])).append(' ');
                }
                sb.append("|\n");
            }
        }
        return sb.toString();
    }

    private void separator(StringBuilder sb) {
        sb.append('|');
        for (int w : widths) {
            sb.append("-".repeat(w + 2)).append('|');
        }
        sb.append('\n');
    }

    /** tablewriter's {@code parseDimension}: wrap the cell and widen its column to fit. */
    private List<String> cellLines(String text, int column) {
        String[] raw = text.split("\n", -1);
        int maxWidth = 0;
        for (String line : raw) {
            maxWidth = Math.max(maxWidth, displayWidth(line));
        }
        maxWidth = Math.min(maxWidth, MAX_COL_WIDTH);
        // With reflow on (the default) all lines of a cell become one paragraph before wrapping.
        List<String> lines = wrapString(String.join(" ", raw), maxWidth);
        int newMax = maxWidth;
        for (String line : lines) {
            newMax = Math.max(newMax, displayWidth(line));
        }
        if (column >= widths.length) {
            widths = Arrays.copyOf(widths, column + 1);
        }
        widths[column] = Math.max(widths[column], newMax);
        return lines;
    }

    static List<String> wrapString(String s, int lim) {
        String[] words = s.replace('\n', ' ').split(" ", -1);
        for (String w : words) {
            lim = Math.max(lim, displayWidth(w));
        }
        List<String> lines = new ArrayList<>();
        for (List<String> line : wrapWords(words, lim)) {
            lines.add(String.join(" ", line));
        }
        return lines;
    }

    /** Minimum-raggedness line breaking, as tablewriter's {@code WrapWords} with one space between words. */
    private static List<List<String>> wrapWords(String[] words, int lim) {
        int n = words.length;
        long[][] length = new long[n][n];
        for (int i = 0; i < n; i++) {
            length[i][i] = displayWidth(words[i]);
            for (int j = i + 1; j < n; j++) {
                length[i][j] = length[i][j - 1] + 1 + displayWidth(words[j]);
            }
        }
        int[] nbrk = new int[n];
        long[] cost = new long[n];
        Arrays.fill(cost, Integer.MAX_VALUE);
        for (int i = n - 1; i >= 0; i--) {
            if (length[i][n - 1] <= lim) {
                cost[i] = 0;
                nbrk[i] = n;
            } else {
                for (int j = i + 1; j < n; j++) {
                    long d = lim - length[i][j - 1];
                    long c = d * d + cost[j];
                    if (length[i][j - 1] > lim) {
                        c += WRAP_PENALTY;
                    }
                    if (c < cost[i]) {
                        cost[i] = c;
                        nbrk[i] = j;
                    }
                }
            }
        }
        List<List<String>> lines = new ArrayList<>();
        for (int i = 0; i < n; i = nbrk[i]) {
            lines.add(Arrays.asList(words).subList(i, nbrk[i]));
        }
        return lines;
    }

    /** tablewriter's {@code Title}: {@code _} and word-separating {@code .} become spaces, then upper case. */
    static String title(String name) {
        char[] cs = name.toCharArray();
        for (int i = 0; i < cs.length; i++) {
            if (cs[i] == '_') {
                cs[i] = ' ';
            } else if (cs[i] == '.'
                    && ((i != 0 && !isNumOrSpace(cs[i - 1])) || (i != cs.length - 1 && !isNumOrSpace(cs[i + 1])))) {
                cs[i] = ' ';
            }
        }
        String t = new String(cs).strip();
        if (t.isEmpty() && !name.isEmpty()) {
            t = " ";
        }
        return t.toUpperCase(Locale.ROOT);
    }

    private static boolean isNumOrSpace(char c) {
        return (c >= '0' && c <= '9') || c == ' ';
    }

    private static String center(String s, int width) {
        int gap = width - displayWidth(s);
        if (gap <= 0) {
            return s;
        }
        int left = gap / 2;
        return " ".repeat(left) + s + " ".repeat(gap - left);
    }

    private static String padRight(String s, int width) {
        return s + " ".repeat(Math.max(0, width - displayWidth(s)));
    }

    private static String padLeft(String s, int width) {
        return " ".repeat(Math.max(0, width - displayWidth(s))) + s;
    }

    /** Terminal columns of {@code s}: an approximation of go-runewidth (wide East Asian = 2, marks = 0). */
    static int displayWidth(String s) {
        if (s.indexOf('\u001b') >= 0) {
            s = ANSI.matcher(s).replaceAll("");
        }
        int w = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            w += codePointWidth(cp);
        }
        return w;
    }

    private static int codePointWidth(int cp) {
        if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) {
            return 0;
        }
        if (cp < 0x300) {
            return 1;
        }
        int type = Character.getType(cp);
        if (type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK || type == Character.FORMAT) {
            return 0;
        }
        boolean wide = (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0x303e)
                || (cp >= 0x3041 && cp <= 0x33ff) || (cp >= 0x3400 && cp <= 0x4dbf)
                || (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0xa000 && cp <= 0xa4cf)
                || (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff)
                || (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60)
                || (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x1f300 && cp <= 0x1f64f)
                || (cp >= 0x1f900 && cp <= 0x1f9ff) || (cp >= 0x20000 && cp <= 0x3fffd);
        return wide ? 2 : 1;
    }
}
