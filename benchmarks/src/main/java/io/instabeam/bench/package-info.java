/**
 * Benchmarks run by hand (not timed tests), from their own jar beside the job's bundled jar: {@link
 * io.instabeam.bench.OverheadBenchmark} measures what a user's process costs end to end, as a child
 * process; {@link io.instabeam.bench.ScaleBenchmark} measures requests, wall time and heap of the
 * job at scale, in-process; {@link io.instabeam.bench.BudgetBenchmark} measures how much of a
 * per-account rate budget the job uses when the budget, not the work, bounds the run.
 */
package io.instabeam.bench;
