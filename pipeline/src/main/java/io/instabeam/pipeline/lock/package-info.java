/**
 * The run lock: what keeps two runs off one state file or one output folder at the same time, and
 * lets a later run take over from one that died (killed, crashed, out of memory) instead of being
 * refused for good. A lock names its owner (host, pid, run, start) and holds a short lease that the
 * owner renews while it lives; it is stored on a local disk or as a Cloud Storage object, changed
 * only with a precondition so no run ever overwrites another's lock.
 */
package io.instabeam.pipeline.lock;
