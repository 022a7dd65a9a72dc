//! Tests of the backlog projection (being written).
