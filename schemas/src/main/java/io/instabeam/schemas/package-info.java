/**
 * The stream catalog: one JSON Schema per stream (Airbyte's record shapes), primary keys, cursor
 * fields and sync modes, and the conversions of a stream schema to Beam, Avro and BigQuery schemas.
 */
package io.instabeam.schemas;
