#pragma once

namespace certus::cli {

/// Parses the command line and runs one `certus` subcommand; returns the exit code.
int Run(int argc, char** argv);

}  // namespace certus::cli
