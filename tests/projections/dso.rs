//! Tests of the dso projection (being written).
