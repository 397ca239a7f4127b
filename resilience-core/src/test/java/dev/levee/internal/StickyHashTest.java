package dev.levee.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The ramp's sticky split must not move between Levee versions: during a rolling deployment, instances on an
 * old and a new version serve the same customers, and a key must go the same way on both.
 */
class StickyHashTest {

    @Test
    void bucketsArePinnedAcrossVersions() {
        // computed by the first implementation (FNV-1a over String.getBytes(UTF_8), then MurmurHash3's finalizer)
        assertThat(StickyHash.bucket(StickyHash.seed("recommendations"), "customer-42")).isEqualTo(8085);
        assertThat(StickyHash.bucket(StickyHash.seed("recommendations"), "c-7")).isEqualTo(8338);
        assertThat(StickyHash.bucket(StickyHash.seed("pricing-v2"), "sku-4711")).isEqualTo(5938);
        assertThat(StickyHash.bucket(StickyHash.seed("m"), "Grüße, 東京 🚀")).isEqualTo(9079);
        assertThat(StickyHash.bucket(StickyHash.seed("ramp"), "sku-4711")).isEqualTo(7995);
        assertThat(StickyHash.bucket(StickyHash.seed("x"), "")).isEqualTo(9548);
    }

    @Test
    void hashingAsItEncodesGivesTheBucketsOfTheEncodedBytes() {
        Random random = new Random(20261201L);
        char[] alphabet = {'a', 'Z', '7', '-', 'ß', 'é', 'Ω', '東', '€', '\uD83D', '\uDE80', '\uD800', '\uDFFF', '\u07FF', '\u0800', '\uFFFF'};
        for (int i = 0; i < 20_000; i++) {
            StringBuilder key = new StringBuilder();
            int length = random.nextInt(24);
            for (int j = 0; j < length; j++) {
                key.append(random.nextInt(4) == 0 ? (char) random.nextInt(Character.MAX_VALUE + 1) : alphabet[random.nextInt(alphabet.length)]);
            }
            String migration = i % 2 == 0 ? "recommendations" : "m-" + (char) ('a' + random.nextInt(26)) + "東";
            assertThat(StickyHash.bucket(StickyHash.seed(migration), key.toString()))
                    .as("key %s", key.codePoints().mapToObj(Integer::toHexString).toList())
                    .isEqualTo(reference(migration, key.toString()));
        }
    }

    /** The first implementation, over the encoded bytes. */
    private static int reference(String migration, String key) {
        long h = 0xcbf29ce484222325L;
        h = fnv(h, migration.getBytes(StandardCharsets.UTF_8));
        h = (h ^ ':') * 0x100000001b3L;
        h = fnv(h, key.getBytes(StandardCharsets.UTF_8));
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return (int) Math.floorMod(h, (long) StickyHash.BUCKETS);
    }

    private static long fnv(long h, byte[] bytes) {
        for (byte b : bytes) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        return h;
    }
}
