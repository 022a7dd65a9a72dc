//! Tests of the fill_rate projection (being written).
