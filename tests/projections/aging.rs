//! Tests of the aging projection (being written).
