package dev.finetune4j.data;

import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;

/**
 * jtokkit's o200k_base count, piece by piece: the text is cut with {@link O200kPieces} and each distinct piece is
 * counted by jtokkit once per thread, then remembered. Words repeat so much in training data that most pieces are
 * found in the memo; jtokkit's own cutting, a {@code java.util.regex} pattern, took two thirds of its time.
 */
final class O200kCounter implements TokenCounter {
    /** Pieces remembered per thread (some 100 bytes each); past it, new pieces are counted each time. */
    static final int MEMO_LIMIT = 1 << 16;
    /** Longer pieces (a run of base64, say) are rare and would make the memo large: they are counted each time. */
    static final int MEMO_PIECE_CHARS = 64;

    private final Encoding encoding;
    private final ThreadLocal<Memo> memo = ThreadLocal.withInitial(Memo::new);

    private O200kCounter(Encoding encoding) {
        this.encoding = encoding;
    }

    /** The one counter, so that a thread keeps its memo from one validation to the next. */
    static TokenCounter shared() {
        return Shared.COUNTER;
    }

    /** Loads the encoding on first use only (it takes a few hundred milliseconds). */
    private static final class Shared {
        static final O200kCounter COUNTER = new O200kCounter(TokenCounter.Registry.INSTANCE.getEncoding(EncodingType.O200K_BASE));
    }

    @Override
    public int count(String text) {
        Memo known = memo.get();
        int total = 0;
        for (int i = 0, n = text.length(); i < n; ) {
            int end = O200kPieces.end(text, i);
            if (end < 0) {
                i = -end; // the pattern matches no piece here, and jtokkit counts nothing for it
                continue;
            }
            boolean memoised = end - i <= MEMO_PIECE_CHARS;
            int count = memoised ? known.get(text, i, end) : -1;
            if (count < 0) {
                String piece = text.substring(i, end);
                // special-token strings in training data are ordinary text, as the API treats them
                count = TokenSlices.count(piece, encoding::countTokensOrdinary);
                if (memoised) {
                    known.put(piece, count);
                }
            }
            total += count;
            i = end;
        }
        return total;
    }

    @Override
    public String name() {
        return encoding.getName();
    }

    /**
     * Token counts of pieces, looked up by a range of the text: no substring is made for a piece already known.
     * Open addressing; grows up to {@link #MEMO_LIMIT} pieces, then stops taking new ones.
     */
    private static final class Memo {
        private String[] pieces = new String[1 << 12];
        private int[] hashes = new int[1 << 12];
        private int[] counts = new int[1 << 12];
        private int size;

        int get(String text, int from, int to) {
            int hash = hash(text, from, to);
            int len = to - from;
            int mask = pieces.length - 1;
            for (int i = spread(hash) & mask; pieces[i] != null; i = (i + 1) & mask) {
                if (hashes[i] == hash && pieces[i].length() == len && text.regionMatches(from, pieces[i], 0, len)) {
                    return counts[i];
                }
            }
            return -1;
        }

        void put(String piece, int count) {
            if (size >= MEMO_LIMIT) {
                return;
            }
            if (++size * 2 > pieces.length) {
                grow();
            }
            insert(piece, hash(piece, 0, piece.length()), count);
        }

        private void insert(String piece, int hash, int count) {
            int mask = pieces.length - 1;
            int i = spread(hash) & mask;
            while (pieces[i] != null) {
                i = (i + 1) & mask;
            }
            pieces[i] = piece;
            hashes[i] = hash;
            counts[i] = count;
        }

        private void grow() {
            String[] oldPieces = pieces;
            int[] oldHashes = hashes;
            int[] oldCounts = counts;
            pieces = new String[oldPieces.length * 2];
            hashes = new int[oldPieces.length * 2];
            counts = new int[oldPieces.length * 2];
            for (int i = 0; i < oldPieces.length; i++) {
                if (oldPieces[i] != null) {
                    insert(oldPieces[i], oldHashes[i], oldCounts[i]);
                }
            }
        }

        private static int hash(String s, int from, int to) {
            int h = 0;
            for (int i = from; i < to; i++) {
                h = 31 * h + s.charAt(i);
            }
            return h;
        }

        private static int spread(int h) {
            return (h ^ (h >>> 16)) * 0x9E3779B9;
        }
    }
}
