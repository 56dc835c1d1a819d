use std::process::ExitCode;

fn main() -> ExitCode {
    ngxlint::cli::main()
}
