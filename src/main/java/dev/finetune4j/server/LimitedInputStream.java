package dev.finetune4j.server;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** A stream that fails once more than {@code limit} bytes were read: bodies without a length stay bounded. */
final class LimitedInputStream extends FilterInputStream {
    /** Thrown past the limit. */
    static final class LimitException extends IOException {
        LimitException(long limit) {
            super("more than " + limit + " bytes");
        }
    }

    private final long limit;
    private long count;

    LimitedInputStream(InputStream in, long limit) {
        super(in);
        this.limit = limit;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0 && ++count > limit) throw new LimitException(limit);
        return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        int n = super.read(buf, off, len);
        if (n > 0 && (count += n) > limit) throw new LimitException(limit);
        return n;
    }
}
