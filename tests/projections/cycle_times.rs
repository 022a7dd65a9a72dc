//! Tests of the cycle_times projection (being written).
