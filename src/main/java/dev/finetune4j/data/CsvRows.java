package dev.finetune4j.data;

import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * Streams the rows of an RFC 4180 CSV: comma-separated, fields optionally in double quotes, {@code ""} for a quote
 * inside quotes, line breaks allowed inside quotes, CRLF or LF row ends. One row in memory at a time.
 */
final class CsvRows implements Closeable {
    private final Reader in;
    private long line = 1;
    private long rowLine;
    private int peeked = -2;

    CsvRows(Reader in) {
        this.in = in;
    }

    /** The 1-based line on which the last row returned by {@link #next()} starts. */
    long rowLine() {
        return rowLine;
    }

    /** The next row's fields, or null at the end. */
    List<String> next() throws IOException {
        int c = read();
        if (c == '\uFEFF' && rowLine == 0) {
            // a UTF-8 byte order mark (Excel, R's fileEncoding = "UTF-8-BOM") is no part of the first field: dropped
            // before parsing, so a quoted first header still reads as quoted
            c = read();
        }
        if (c < 0) {
            return null;
        }
        rowLine = line;
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        while (true) {
            if (quoted) {
                if (c < 0) {
                    throw new DatasetException(rowLine, "CSV line " + rowLine + ": a quoted field is not closed before the end of the file", null);
                }
                if (c == '"') {
                    int n = read();
                    if (n == '"') {
                        field.append('"');
                    } else {
                        quoted = false;
                        c = n;
                        continue;
                    }
                } else {
                    if (c == '\n') {
                        line++;
                    }
                    field.append((char) c);
                }
            } else if (c == '"' && field.length() == 0 && !wasQuoted) {
                quoted = true;
                wasQuoted = true;
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
                wasQuoted = false;
            } else if (c == '\r' || c == '\n' || c < 0) {
                if (c == '\r') {
                    int n = read();
                    if (n != '\n') {
                        unread(n);
                    }
                }
                if (c >= 0) {
                    line++;
                }
                fields.add(field.toString());
                return fields;
            } else {
                field.append((char) c);
            }
            c = read();
        }
    }

    private int read() throws IOException {
        if (peeked != -2) {
            int p = peeked;
            peeked = -2;
            return p;
        }
        return in.read();
    }

    private void unread(int c) {
        peeked = c;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
