fn main() -> std::process::ExitCode {
    edgelint::main_with_args(std::env::args_os().collect())
}
