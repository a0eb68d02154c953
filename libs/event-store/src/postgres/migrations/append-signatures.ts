/*
 * The parameter lists of the append functions, written once. Every version of `append_batch` (migrations 0003, 0004,
 * 0006) has the same parameters: `CREATE OR REPLACE FUNCTION` may change a function's body, never its parameters.
 * `append_events` (0002) takes the same per-stream and per-event arrays, then one command's idempotency record.
 * Frozen like the migrations that use them: a migration already run must stay what it was.
 */

/** The per-stream and per-event arrays of an append (p_stream_of: per event, its stream's index in p_streams, 1-based). */
const EVENT_ARRAYS = `
  p_streams          text[],
  p_expected         integer[],
  p_stream_of        integer[],
  p_versions         integer[],
  p_event_ids        uuid[],
  p_types            text[],
  p_schema_versions  integer[],
  p_occurred_at      timestamptz[],
  p_actors           jsonb[],
  p_correlation_ids  text[],
  p_causation_ids    text[],
  p_data             jsonb[],
  p_hash_prefixes    text[],
  p_hash_suffixes    text[],`;

/** `append_events(…)`: one command's streams and events, its idempotency record and the answer to store with it. */
export const APPEND_EVENTS_PARAMETERS = `(${EVENT_ARRAYS}
  p_idem_scope       text,
  p_idem_key         text,
  p_idem_hash        text,
  p_streams_result   jsonb
)`;

/** `append_batch(…)`: several commands' arrays concatenated; p_stream_counts and p_event_counts cut them back. */
export const APPEND_BATCH_PARAMETERS = `(
  p_stream_counts    integer[],
  p_event_counts     integer[],${EVENT_ARRAYS}
  p_idem_scopes      text[],
  p_idem_keys        text[],
  p_idem_hashes      text[],
  p_streams_results  jsonb[]
)`;

/** In `append_batch`'s loop: command c's slices of the arrays (streams s0..s1, events e0..e1) handed to append_events. */
export const APPEND_COMMAND_C = `{{schema}}.append_events(
        p_streams[s0:s1], p_expected[s0:s1], p_stream_of[e0:e1], p_versions[e0:e1], p_event_ids[e0:e1], p_types[e0:e1],
        p_schema_versions[e0:e1], p_occurred_at[e0:e1], p_actors[e0:e1], p_correlation_ids[e0:e1], p_causation_ids[e0:e1],
        p_data[e0:e1], p_hash_prefixes[e0:e1], p_hash_suffixes[e0:e1],
        p_idem_scopes[c], p_idem_keys[c], p_idem_hashes[c], p_streams_results[c])`;
