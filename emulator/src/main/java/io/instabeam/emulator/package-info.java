/**
 * A deterministic, in-process emulator of the Instagram Graph API, with Facebook Login at its root
 * and Instagram Login under {@code /instagram} ({@link io.instabeam.emulator.LoginHost}), served
 * over real HTTP on the loopback interface.
 *
 * <p>Entry point: {@link io.instabeam.emulator.GraphApiEmulator#builder()}. The generated data
 * ({@link io.instabeam.emulator.Dataset}) is a pure function of the seed and the builder knobs, and
 * every insight value is a pure function of (seed, object, metric, day), so that the same requests
 * always get byte-identical answers. Rate budgets, usage headers, error bodies and fault injection
 * follow Meta's documented behaviour (its Graph API guides to rate limiting, error handling, paging
 * and batch requests).
 */
package io.instabeam.emulator;
