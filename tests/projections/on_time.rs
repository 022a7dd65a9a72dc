//! Tests of the on_time projection (being written).
