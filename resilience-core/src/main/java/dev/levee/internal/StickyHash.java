package dev.levee.internal;

/**
 * The sticky split of a migration's ramp: a key's bucket, 0 to 9,999, from a 64-bit FNV-1a hash of the
 * migration's name and the key, mixed by MurmurHash3's finalizer. The same on every JVM and every run, so a
 * key goes the same way on every instance; salted by the migration's name, so two migrations split keys
 * independently.
 */
public final class StickyHash {

    /** Buckets per 100 %: a percentage counts to two decimals. */
    public static final int BUCKETS = 10_000;

    private StickyHash() {
    }

    /** The hash state after the migration's name and the separator: computed once per migration. */
    public static long seed(String migration) {
        return (utf8(0xcbf29ce484222325L, migration) ^ ':') * PRIME;
    }

    /** A key's bucket under a migration's {@link #seed}; allocates nothing. */
    public static int bucket(long seed, String key) {
        long h = utf8(seed, key);
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return (int) Math.floorMod(h, (long) BUCKETS);
    }

    /** Whether a bucket falls within a percentage: bucket {@code b} is in when {@code b < percentage × 100}. */
    public static boolean within(int bucket, double percentage) {
        return bucket < Math.round(percentage * (BUCKETS / 100));
    }

    private static final long PRIME = 0x100000001b3L;

    /**
     * FNV-1a over the string's UTF-8 bytes, encoded as it goes: the bytes {@code s.getBytes(UTF_8)} gives,
     * a lone surrogate included (as {@code '?'}), without the array.
     */
    private static long utf8(long h, String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                h = (h ^ c) * PRIME;
            } else if (c < 0x800) {
                h = (h ^ (0xc0 | (c >> 6))) * PRIME;
                h = (h ^ (0x80 | (c & 0x3f))) * PRIME;
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                h = (h ^ (0xf0 | (cp >> 18))) * PRIME;
                h = (h ^ (0x80 | ((cp >> 12) & 0x3f))) * PRIME;
                h = (h ^ (0x80 | ((cp >> 6) & 0x3f))) * PRIME;
                h = (h ^ (0x80 | (cp & 0x3f))) * PRIME;
            } else if (Character.isSurrogate(c)) {
                h = (h ^ '?') * PRIME; // what the encoder writes for a surrogate without its pair
            } else {
                h = (h ^ (0xe0 | (c >> 12))) * PRIME;
                h = (h ^ (0x80 | ((c >> 6) & 0x3f))) * PRIME;
                h = (h ^ (0x80 | (c & 0x3f))) * PRIME;
            }
        }
        return h;
    }
}
