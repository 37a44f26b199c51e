package io.instabeam.emulator;

import java.nio.charset.StandardCharsets;

/**
 * SplitMix64-based hashing of (seed, parts...). Every "random" decision that must not depend on
 * call order or thread interleaving (insight values, faults, trace ids) is a hash of its inputs.
 */
final class StableHash {
  private StableHash() {}

  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  static long of(long seed, Object... parts) {
    long h = mix(seed + 0x9E3779B97F4A7C15L);
    for (Object part : parts) {
      byte[] bytes = String.valueOf(part).getBytes(StandardCharsets.UTF_8);
      for (byte b : bytes) {
        h = (h ^ (b & 0xff)) * 0x100000001b3L;
      }
      h = mix(h + bytes.length);
    }
    return h;
  }

  /** Uniform double in [0, 1). */
  static double unit(long hash) {
    return (hash >>> 11) * 0x1.0p-53;
  }

  /** Uniform double in [low, high). */
  static double between(long hash, double low, double high) {
    return low + unit(hash) * (high - low);
  }
}
