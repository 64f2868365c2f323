//! Writing to stdout: a closed pipe ends the run quietly.

use std::io::Write;

/// What a write to stdout came to.
pub(crate) enum Written {
    Ok,
    /// The reader went away (`| head`): stop, successfully.
    Closed,
    /// Any other failure.
    Failed(std::io::Error),
}

/// Writes `text` to stdout.
pub(crate) fn print(text: &str) -> Written {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Written::Ok,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Written::Closed,
        Err(e) => Written::Failed(e),
    }
}

/// Says what went wrong and gives exit code 2.
pub(crate) fn fail(e: impl std::fmt::Display) -> std::process::ExitCode {
    eprintln!("exitdesk: {e}");
    std::process::ExitCode::from(2)
}

/// Prints `text`; a closed pipe is fine, any other failure is exit 2.
pub(crate) fn emit(text: &str) -> std::process::ExitCode {
    match print(text) {
        Written::Failed(e) => fail(format!("writing output: {e}")),
        _ => std::process::ExitCode::SUCCESS,
    }
}
