import Testing

/// All mock tests, run one at a time: several measure latency, and running the rate and load tests beside them
/// on a 2-core machine would distort what they measure.
@Suite(.serialized)
enum MockTests {}
