//! SNMP load generator (see tools/bench-snmp). Being written.
fn main() {
    eprintln!("snmp-load: not built yet");
    std::process::exit(2);
}
