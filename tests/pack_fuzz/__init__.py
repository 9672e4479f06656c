"""Property-based (Hypothesis) fuzzing of the policy pack over its real gRPC Analyzer protocol."""
