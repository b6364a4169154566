package dev.sancho.maven.core;

import java.util.ArrayList;
import java.util.List;

/** A plain-text table for the console: columns padded to their widest cell, the last one left ragged. */
public final class Table {
    private final List<String[]> rows = new ArrayList<>();

    public Table(String... header) {
        if (header.length > 0) {
            rows.add(header);
        }
    }

    public Table row(String... cells) {
        rows.add(cells);
        return this;
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }

    public List<String> lines() {
        int columns = rows.stream().mapToInt(r -> r.length).max().orElse(0);
        int[] width = new int[columns];
        for (String[] r : rows) {
            for (int i = 0; i < r.length - 1; i++) {
                width[i] = Math.max(width[i], text(r[i]).length());
            }
        }
        List<String> out = new ArrayList<>();
        for (String[] r : rows) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                String cell = text(r[i]);
                b.append(cell);
                if (i < r.length - 1) {
                    b.append(" ".repeat(width[i] - cell.length() + 2));
                }
            }
            out.add(b.toString().stripTrailing());
        }
        return out;
    }

    private static String text(String s) {
        return s == null ? "-" : s;
    }
}
