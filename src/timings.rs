//! Phase timings for profiling: printed when `SHAFAF_TIMINGS` is set, else nothing.

use std::time::Instant;

/// Prints how long a phase took, and the memory in use after it, when SHAFAF_TIMINGS is
/// set (for profiling).
pub fn trace(phase: &str, since: Instant) {
    if std::env::var_os("SHAFAF_TIMINGS").is_some() {
        eprintln!("{phase}: {} ms{}", since.elapsed().as_millis(), memory_in_use());
    }
}

/// The resident memory now and at its peak so far, from /proc (Linux), or nothing.
fn memory_in_use() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| status.lines().find_map(|l| l.strip_prefix(name)).map(str::trim).unwrap_or("?").to_string();
    if status.is_empty() { String::new() } else { format!(" (resident {}, peak {})", field("VmRSS:"), field("VmHWM:")) }
}
