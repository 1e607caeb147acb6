package dev.finetune4j.data;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * Builds a supervised chat JSONL from tabular data (a Tablesaw table, a CSV, or a JSONL of flat records such as
 * the legacy prompt/completion format): each row becomes
 * {@code {"messages": [system?, user, assistant]}}, written streaming. The system message comes from a column or
 * is a fixed prompt. A row with an empty user or assistant cell (or a CSV row with fewer fields than its header) is
 * an error naming the row (nothing is written); {@link #skipIncompleteRows()} drops such rows instead. The output
 * must be another file than the input.
 *
 * <pre>{@code
 * long n = ChatConverter.columns().systemPrompt("You are terse.").user("question").assistant("answer")
 *         .writeCsv(Path.of("qa.csv"), Path.of("train.jsonl"));
 * }</pre>
 */
public final class ChatConverter {
    /** How to skip incomplete rows, in Java and on the command line: the converter serves both. */
    private static final String SKIP = " (skipIncompleteRows(), or --skip-incomplete on the command line)";

    private static final JsonFactory JSON = new JsonFactory();

    private String systemColumn;
    private String systemPrompt;
    private String userColumn;
    private String assistantColumn;
    private boolean skipIncomplete;
    private long skipped;

    private ChatConverter() {}

    /** Starts a column mapping. */
    public static ChatConverter columns() {
        return new ChatConverter();
    }

    /** Column holding the system message (an empty cell means no system message for that row). */
    public ChatConverter system(String column) {
        this.systemColumn = Objects.requireNonNull(column);
        this.systemPrompt = null;
        return this;
    }

    /** The same system message for every row. */
    public ChatConverter systemPrompt(String prompt) {
        this.systemPrompt = Objects.requireNonNull(prompt);
        this.systemColumn = null;
        return this;
    }

    /** Column holding the user message. */
    public ChatConverter user(String column) {
        this.userColumn = Objects.requireNonNull(column);
        return this;
    }

    /** Column holding the assistant reply. */
    public ChatConverter assistant(String column) {
        this.assistantColumn = Objects.requireNonNull(column);
        return this;
    }

    /** Drops rows whose user or assistant cell is empty, and CSV rows with fewer fields than the header, instead of failing; see {@link #skippedRows()}. */
    public ChatConverter skipIncompleteRows() {
        this.skipIncomplete = true;
        return this;
    }

    /** Rows dropped by the last write (with {@link #skipIncompleteRows()}). */
    public long skippedRows() {
        return skipped;
    }

    /** {@link #write(Table, Path)} with the path as a string: {@code write(table, "train.jsonl")}. */
    public long write(Table table, String out) {
        return write(table, Path.of(out));
    }

    /** Writes one example per table row to {@code out}; returns the number written. Example: {@code .write(table, Path.of("train.jsonl"))}. */
    public long write(Table table, Path out) {
        requireColumns();
        Column<?> system = systemColumn == null ? null : table.column(systemColumn);
        Column<?> user = table.column(userColumn);
        Column<?> assistant = table.column(assistantColumn);
        return writeAtomically(out, g -> {
            long n = 0;
            for (int row = 0; row < table.rowCount(); row++) {
                String sys = system == null ? systemPrompt : cell(system, row);
                if (writeExample(g, row + 1, "row " + (row + 1), sys, cell(user, row), cell(assistant, row))) {
                    n++;
                }
            }
            return n;
        });
    }

    /** {@link #writeCsv(Path, Path)} with paths as strings: {@code writeCsv("qa.csv", "train.jsonl")}. */
    public long writeCsv(String csv, String out) {
        return writeCsv(Path.of(csv), Path.of(out));
    }

    /**
     * Reads a UTF-8 CSV with a header row, streaming, and writes one example per data row; returns the number written.
     * Example: {@code .writeCsv(Path.of("qa.csv"), Path.of("train.jsonl"))}. A row with more fields than the header (an
     * unquoted comma) is an error; one with fewer is incomplete (see {@link #skipIncompleteRows()}).
     */
    public long writeCsv(Path csv, Path out) {
        requireColumns();
        requireDifferent(csv, out);
        return writeAtomically(out, g -> {
            try (CsvRows rows = new CsvRows(open(csv))) {
                return writeCsvRows(csv, rows, g);
            } catch (CharacterCodingException e) {
                long line = Utf8.firstInvalidLine(csv);
                throw new DatasetException(line, csv + " is not UTF-8" + (line > 0 ? " (CSV line " + line + ")" : "")
                        + "; it may be Latin-1/Windows-1252: save it as UTF-8", e);
            }
        });
    }

    private long writeCsvRows(Path csv, CsvRows rows, JsonGenerator g) throws IOException {
        List<String> header = rows.next();
        if (header == null) {
            throw new DatasetException(0, csv + " is empty: expected a header row", null);
        }
        int sys = systemColumn == null ? -1 : index(header, systemColumn, csv);
        int user = index(header, userColumn, csv);
        int assistant = index(header, assistantColumn, csv);
        long n = 0;
        List<String> row;
        while ((row = rows.next()) != null) {
            if (row.size() == 1 && row.get(0).isEmpty()) {
                continue;
            }
            String where = "CSV line " + rows.rowLine();
            if (row.size() > header.size()) {
                // the extra field is text cut off at an unquoted comma: dropping it would lose part of an answer
                throw new DatasetException(rows.rowLine(), where + " has " + row.size() + " fields, the header has "
                        + header.size() + ": quote a field that holds a comma (\"Yes, to the EU.\")", null);
            }
            if (row.size() < header.size()) {
                if (skipIncomplete) {
                    skipped++;
                    continue;
                }
                throw new DatasetException(rows.rowLine(), where + " has " + row.size() + " fields, the header has "
                        + header.size() + "; complete the row or skip incomplete rows" + SKIP, null);
            }
            String s = sys < 0 ? systemPrompt : field(row, sys);
            if (writeExample(g, rows.rowLine(), where, s, field(row, user), field(row, assistant))) {
                n++;
            }
        }
        return n;
    }

    /**
     * Reads a JSONL of flat records, streaming, and writes one example per record, the mapping naming fields: e.g. the
     * legacy completions format, {@code columns().user("prompt").assistant("completion").writeJsonl(in, out)}.
     * Numbers and booleans are written as text; a field holding an object or array is an error naming the line.
     */
    public long writeJsonl(Path jsonl, Path out) {
        requireColumns();
        requireDifferent(jsonl, out);
        return writeAtomically(out, g -> {
            try (ExampleReader reader = ExampleReader.open(jsonl)) {
                long n = 0;
                List<String> mapped = new ArrayList<>(List.of(userColumn, assistantColumn));
                if (systemColumn != null) mapped.add(systemColumn);
                List<String> firstFields = null;
                for (Example e : reader) {
                    if (!e.json().isObject()) {
                        throw new DatasetException(e.line(), "Line " + e.line() + ": expected a JSON object with the fields "
                                + fields(), null);
                    }
                    if (firstFields == null) {
                        firstFields = new ArrayList<>();
                        e.json().fieldNames().forEachRemaining(firstFields::add);
                    }
                    mapped.removeIf(e.json()::has);
                    String where = "Line " + e.line();
                    String sys = systemColumn == null ? systemPrompt : text(e, systemColumn);
                    String user = text(e, userColumn);
                    String assistant = text(e, assistantColumn);
                    if (!skipIncomplete && (isEmpty(user) || isEmpty(assistant))) {
                        // a field no record so far has is more likely a mistyped name than an empty answer
                        String column = isEmpty(user) ? userColumn : assistantColumn;
                        if (mapped.contains(column)) {
                            throw new DatasetException(e.line(), jsonl + " has no field '" + column + "' in any record up to line "
                                    + e.line() + "; the first record's fields are " + firstFields, null);
                        }
                    }
                    if (writeExample(g, e.line(), where, sys, user, assistant)) {
                        n++;
                    }
                }
                if (firstFields != null && !mapped.isEmpty()) {
                    throw new DatasetException(0, jsonl + " has no field '" + mapped.get(0) + "' in any record; the first"
                            + " record's fields are " + firstFields, null);
                }
                return n;
            }
        });
    }

    /** {@link #writeJsonl(Path, Path)} with paths as strings: {@code writeJsonl("legacy.jsonl", "train.jsonl")}. */
    public long writeJsonl(String jsonl, String out) {
        return writeJsonl(Path.of(jsonl), Path.of(out));
    }

    private static String text(Example e, String field) {
        JsonNode v = e.json().get(field);
        if (v == null || v.isNull()) return null;
        if (v.isContainerNode()) {
            throw new DatasetException(e.line(), "Line " + e.line() + ": field '" + field + "' must be text, got "
                    + (v.isArray() ? "an array" : "an object"), null);
        }
        return v.asText();
    }

    private String fields() {
        List<String> names = new ArrayList<>();
        if (systemColumn != null) names.add("'" + systemColumn + "'");
        names.add("'" + userColumn + "'");
        names.add("'" + assistantColumn + "'");
        return String.join(", ", names);
    }

    /** The output replaces its file only at the end, so writing over the input would read a file it then destroys. */
    private static void requireDifferent(Path in, Path out) {
        if (OutputFiles.sameFile(in, out)) {
            throw new IllegalArgumentException("the input and the output must be different files, got " + in + " twice");
        }
    }

    private static BufferedReader open(Path csv) {
        try {
            // a decoder that reports bad bytes, not one that replaces them: a Latin-1 file would become U+FFFD silently
            return Files.newBufferedReader(csv, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw FileErrors.cannotRead(csv, e);
        }
    }

    private interface Body {
        long write(JsonGenerator g) throws IOException;
    }

    private long writeAtomically(Path out, Body body) {
        skipped = 0;
        try {
            Path tmp = OutputFiles.temp(out);
            long n;
            try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16);
                 JsonGenerator g = JSON.createGenerator(os)) {
                g.setRootValueSeparator(null); // lines end with the newline written after each example, no space before the next
                n = body.write(g);
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(tmp);
                throw e;
            }
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING);
            return n;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out + ": " + e.getMessage(), e);
        }
    }

    private boolean writeExample(JsonGenerator g, long line, String where, String system, String user, String assistant) throws IOException {
        if (isEmpty(user) || isEmpty(assistant)) {
            if (skipIncomplete) {
                skipped++;
                return false;
            }
            String column = isEmpty(user) ? userColumn : assistantColumn;
            throw new DatasetException(line, where + ": column '" + column + "' is empty; fill it or skip incomplete rows" + SKIP, null);
        }
        g.writeStartObject();
        g.writeArrayFieldStart("messages");
        if (!isEmpty(system)) {
            message(g, "system", system);
        }
        message(g, "user", user);
        message(g, "assistant", assistant);
        g.writeEndArray();
        g.writeEndObject();
        g.writeRaw('\n');
        return true;
    }

    private static void message(JsonGenerator g, String role, String content) throws IOException {
        g.writeStartObject();
        g.writeStringField("role", role);
        g.writeStringField("content", content);
        g.writeEndObject();
    }

    private void requireColumns() {
        List<String> missing = new ArrayList<>();
        if (userColumn == null) {
            missing.add("user(column)");
        }
        if (assistantColumn == null) {
            missing.add("assistant(column)");
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("set " + String.join(" and ", missing) + " before writing");
        }
    }

    private static int index(List<String> header, String column, Path csv) {
        int i = header.indexOf(column);
        if (i < 0) {
            throw new DatasetException(1, csv + " has no column '" + column + "'; its columns are " + header, null);
        }
        return i;
    }

    private static String field(List<String> row, int i) {
        return i < row.size() ? row.get(i) : "";
    }

    /** A cell's text; a number's value, not its display format (a percent format shows 0.5 as "50%"). */
    private static String cell(Column<?> column, int row) {
        if (column.isMissing(row)) {
            return "";
        }
        if (column instanceof NumericColumn<?> numbers) {
            // as a person writes the number: 3, 0.0001 and 12345678, not Java's 3.0, 1.0E-4 and 1.2345678E7
            double value = numbers.getDouble(row);
            if (!Double.isFinite(value)) return String.valueOf(value);
            return java.math.BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
        }
        return column.getString(row);
    }

    private static boolean isEmpty(String s) {
        return s == null || s.isBlank();
    }
}
