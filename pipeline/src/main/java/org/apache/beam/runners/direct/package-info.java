/**
 * Two classes of Beam 2.70.0's DirectRunner, shadowed (the project's classes come before Beam's on
 * the classpath and in the bundled jar), each changed in one marked place, because the DirectRunner
 * is the job's default runner and both costs are Beam's, not the job's:
 *
 * <ul>
 *   <li>{@link org.apache.beam.runners.direct.QuiescenceDriver}: the driver loop waits for a bundle
 *       to complete (at most 5 ms) when a round changed nothing, instead of spinning a core for the
 *       whole run;
 *   <li>{@link org.apache.beam.runners.direct.ParDoEvaluatorFactory}: a ParDo's schema information
 *       and side-input mapping are translated once per transform, not twice per bundle.
 * </ul>
 *
 * <p>When upgrading Beam, diff each file against the new version's source and carry over only the
 * marked changes; {@code QuiescenceDriverIdleTest} and the end-to-end tests check the behaviour.
 */
package org.apache.beam.runners.direct;
