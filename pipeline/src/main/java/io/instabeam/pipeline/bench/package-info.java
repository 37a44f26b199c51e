/**
 * Benchmarks run by hand (not timed tests): {@link io.instabeam.pipeline.bench.BudgetBenchmark} measures how much of
 * a per-account rate budget the job uses when the budget, not the work, bounds the run.
 */
package io.instabeam.pipeline.bench;
