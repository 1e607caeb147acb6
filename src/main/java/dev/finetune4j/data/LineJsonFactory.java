package dev.finetune4j.data;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.core.json.UTF8StreamJsonParser;

/**
 * A Jackson factory for parsers over one JSONL line of UTF-8 bytes. The stock factory first sniffs the encoding
 * and byte-order mark of every input; a line is always UTF-8 and {@link JsonlLines} has already dropped the mark,
 * so this factory builds the UTF-8 parser directly: a per-line saving that matters on files of millions of lines.
 */
final class LineJsonFactory extends JsonFactory {
    private static final long serialVersionUID = 1L;

    /**
     * No limit on a string's length beyond the line's own: Jackson's default (20 million characters) would call a
     * valid line with a long answer invalid JSON; the line limit ({@link FileChunks#defaultMaxLine()}) bounds it.
     */
    static final StreamReadConstraints CONSTRAINTS = StreamReadConstraints.builder()
            .maxStringLength(Integer.MAX_VALUE).build();

    /**
     * Duplicate keys are detected: readers disagree on which of two values counts (Python's json and Jackson's
     * trees keep the last, a streaming reader sees both), so an example with one means different things to each.
     */
    LineJsonFactory() {
        super(new JsonFactoryBuilder().disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .streamReadConstraints(CONSTRAINTS));
    }

    @Override
    protected JsonParser _createParser(byte[] data, int offset, int len, IOContext ctxt) {
        return new UTF8StreamJsonParser(ctxt, _parserFeatures, null, _objectCodec,
                _byteSymbolCanonicalizer.makeChild(_factoryFeatures), data, offset, offset + len, 0, false);
    }
}
