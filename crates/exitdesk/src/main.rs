//! The `exitdesk` binary: a thin shell around [`exitdesk::run`].

fn main() -> std::process::ExitCode {
    exitdesk::run(std::env::args_os())
}
