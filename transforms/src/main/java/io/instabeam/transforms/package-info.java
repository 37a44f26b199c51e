/**
 * The reusable connector: {@link io.instabeam.transforms.InstagramIO} and one composite PTransform
 * per stream, plus the record transformations that give every record Airbyte's shape.
 */
package io.instabeam.transforms;
