/**
 * The runnable job: options and their validation, the pipeline graph ({@link
 * io.instabeam.pipeline.InstabeamPipeline}), the state store, the run summary and {@link
 * io.instabeam.pipeline.Main}.
 */
package io.instabeam.pipeline;
