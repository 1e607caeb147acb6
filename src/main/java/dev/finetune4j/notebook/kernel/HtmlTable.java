package dev.finetune4j.notebook.kernel;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * Tablesaw tables as HTML for notebooks: a header, numbers right-aligned with six significant digits, missing
 * cells empty, and for long tables the first and last rows around an ellipsis row (as dataframes show in
 * Python notebooks). Example: {@code HtmlTable.of(run.metrics(), 20)}.
 */
public final class HtmlTable {
    /** Rows shown before a long table is cut to its head and tail. */
    public static final int MAX_ROWS = 30;

    private HtmlTable() {}

    /** The table as HTML, at most {@link #MAX_ROWS} rows. Example: {@code HtmlTable.of(run.metrics())}. */
    public static String of(Table table) {
        return of(table, MAX_ROWS);
    }

    /** The table as HTML, at most {@code maxRows} rows (half head, half tail). Example: {@code HtmlTable.of(ft.runs(), 100)}. */
    public static String of(Table table, int maxRows) {
        StringBuilder sb = new StringBuilder(256 + table.rowCount() * Math.min(maxRows, 64));
        sb.append("<div class=\"finetune4j-table\"><table class=\"dataframe\" border=\"1\">");
        sb.append("<thead><tr style=\"text-align: right;\"><th></th>");
        for (String name : table.columnNames()) sb.append("<th>").append(escape(name)).append("</th>");
        sb.append("</tr></thead><tbody>");
        int rows = table.rowCount();
        boolean cut = rows > maxRows;
        int head = cut ? (maxRows + 1) / 2 : rows;
        int tailStart = cut ? rows - maxRows / 2 : rows;
        for (int r = 0; r < head; r++) row(sb, table, r);
        if (cut) {
            sb.append("<tr><th>&hellip;</th>");
            for (int c = 0; c < table.columnCount(); c++) sb.append("<td>&hellip;</td>");
            sb.append("</tr>");
            for (int r = tailStart; r < rows; r++) row(sb, table, r);
        }
        sb.append("</tbody></table><p><small>").append(escape(table.name() == null ? "" : table.name()))
                .append(table.name() == null ? "" : ": ").append(rows).append(rows == 1 ? " row" : " rows")
                .append(" &times; ").append(table.columnCount()).append(" columns</small></p></div>");
        return sb.toString();
    }

    private static void row(StringBuilder sb, Table table, int r) {
        sb.append("<tr><th>").append(r).append("</th>");
        for (Column<?> col : table.columns()) {
            boolean numeric = col.type().equals(tech.tablesaw.api.ColumnType.DOUBLE)
                    || col.type().equals(tech.tablesaw.api.ColumnType.INTEGER)
                    || col.type().equals(tech.tablesaw.api.ColumnType.LONG)
                    || col.type().equals(tech.tablesaw.api.ColumnType.FLOAT)
                    || col.type().equals(tech.tablesaw.api.ColumnType.SHORT);
            sb.append(numeric ? "<td style=\"text-align: right;\">" : "<td>");
            // text as its column prints it (on one line, a token in quotes), numbers as numberCell says
            boolean text = col.type().equals(tech.tablesaw.api.ColumnType.STRING);
            if (!col.isMissing(r)) sb.append(escape(numeric ? numberCell(col, r) : text ? col.getString(r) : cell(col.get(r))));
            sb.append("</td>");
        }
        sb.append("</tr>");
    }

    /**
     * A number as the column prints it when it has a format of its own (a percentage, three decimals), else as
     * {@link #cell}: Tablesaw's default prints every digit of a double.
     */
    private static String numberCell(Column<?> col, int r) {
        Object value = col.get(r);
        String printed = col.getString(r);
        return printed.equals(String.valueOf(value)) ? cell(value) : printed;
    }

    /** A cell as text: doubles to six significant digits, instants to the second. */
    static String cell(Object value) {
        if (value instanceof Double d) return number(d);
        if (value instanceof Float f) return number(f.doubleValue());
        if (value instanceof Instant i) return i.truncatedTo(ChronoUnit.SECONDS).toString();
        return String.valueOf(value);
    }

    /**
     * A number to six significant digits, as tables show it, and a whole number in full. Example:
     * {@code HtmlTable.number(0.70710678)} → {@code "0.707107"}, {@code HtmlTable.number(1750743752)} →
     * {@code "1750743752"}.
     */
    public static String number(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) return Double.toString(d);
        if (d == 0) return "0";
        double a = Math.abs(d);
        // whole numbers in full: a seed or a token count rounded to six digits would mislead
        if (a < 1e15 && d == Math.rint(d)) return Long.toString((long) d);
        if (a >= 1e-4 && a < 1e15) {
            return new BigDecimal(d).round(new MathContext(6)).stripTrailingZeros().toPlainString();
        }
        return String.format(java.util.Locale.ROOT, "%.5e", d);
    }

    /** Escapes text for HTML content and attribute values. Example: {@code HtmlTable.escape("a<b")} → {@code "a&lt;b"}. */
    public static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
