package dev.levee.internal;

import java.nio.charset.StandardCharsets;

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

    public static int bucket(String migration, String key) {
        long h = 0xcbf29ce484222325L;
        h = fnv(h, migration.getBytes(StandardCharsets.UTF_8));
        h = (h ^ ':') * 0x100000001b3L;
        h = fnv(h, key.getBytes(StandardCharsets.UTF_8));
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

    private static long fnv(long h, byte[] bytes) {
        for (byte b : bytes) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        return h;
    }
}
