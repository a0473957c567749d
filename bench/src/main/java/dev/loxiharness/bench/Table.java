package dev.loxiharness.bench;

import java.util.ArrayList;
import java.util.List;

/** The printed summary: one line per figure, its baseline, the ratio and the target. */
final class Table {
    private Table() {
    }

    static String render(List<Benchmark.Report> reports) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"bench", "figure", "value", "baseline (same run)", "ratio", "target"});
        for (Benchmark.Report r : reports) {
            for (Figure f : r.figures) {
                rows.add(new String[] {r.bench, f.label(), f.valueText(), f.baselineText(), f.ratioText(), f.verdict()});
            }
        }
        int[] w = new int[6];
        for (String[] row : rows) {
            for (int i = 0; i < 5; i++) {
                w[i] = Math.max(w[i], row[i].length());
            }
        }
        StringBuilder s = new StringBuilder();
        for (int k = 0; k < rows.size(); k++) {
            String[] row = rows.get(k);
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < 6; i++) {
                boolean right = i == 2 || i == 4;
                String cell = row[i];
                if (i == 5) {
                    line.append(cell);
                } else if (right && k > 0) {
                    line.append(" ".repeat(w[i] - cell.length())).append(cell).append("  ");
                } else {
                    line.append(cell).append(" ".repeat(w[i] - cell.length())).append("  ");
                }
            }
            s.append(line.toString().stripTrailing()).append('\n');
            if (k == 0) {
                s.append("-".repeat(Math.min(160, line.length()))).append('\n');
            }
        }
        for (Benchmark.Report r : reports) {
            for (String n : r.notes) {
                s.append("  ").append(r.bench).append(": ").append(n).append('\n');
            }
        }
        return s.toString();
    }
}
