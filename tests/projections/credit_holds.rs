//! Tests of the credit_holds projection (being written).
