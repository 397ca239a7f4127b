package dev.levee.benchmarks.scenarios;

import java.util.ArrayList;
import java.util.List;

/** A Markdown report: headings, notes and tables, printed as each scenario finishes. */
final class Report {

    private final StringBuilder text = new StringBuilder();

    void heading(String title) {
        line("");
        line("### " + title);
        line("");
    }

    void note(String note) {
        line(note);
        line("");
    }

    /** Starts a table with these column headers. */
    Table table(String... headers) {
        return new Table(headers);
    }

    void line(String s) {
        text.append(s).append('\n');
        System.out.println(s);
        System.out.flush();
    }

    String text() {
        return text.toString();
    }

    /** A Markdown table, written when {@link #end} is called. */
    final class Table {
        private final String[] headers;
        private final List<String[]> rows = new ArrayList<>();

        private Table(String[] headers) {
            this.headers = headers;
        }

        Table row(Object... cells) {
            String[] r = new String[cells.length];
            for (int i = 0; i < cells.length; i++) {
                r[i] = String.valueOf(cells[i]);
            }
            rows.add(r);
            return this;
        }

        void end() {
            line("| " + String.join(" | ", headers) + " |");
            StringBuilder sep = new StringBuilder("|");
            for (int i = 0; i < headers.length; i++) {
                sep.append(i == 0 ? "---|" : "---:|");
            }
            line(sep.toString());
            for (String[] r : rows) {
                line("| " + String.join(" | ", r) + " |");
            }
            line("");
        }
    }
}
