package io.shadowgate.config.decide;

import java.nio.charset.StandardCharsets;

/**
 * A fast, well-mixed 64-bit string hash (FNV-1a over UTF-8 with a final avalanche) for mirror sampling keys,
 * consistent-hash keys and the proxy's hash rings. The decision and the ring must use the same function, so it has
 * one home, here.
 */
public final class Hashing {

    private Hashing() {
    }

    /** The 64-bit hash of {@code s}. */
    public static long hash64(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        long h = 0xcbf29ce484222325L;
        for (byte b : bytes) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        // murmur3 fmix64: spreads FNV's weak low bits so "% 100" and "% 1e6" are uniform.
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
