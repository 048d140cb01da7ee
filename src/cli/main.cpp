#include <exception>

#include <spdlog/spdlog.h>

#include "cli/commands.hpp"

int main(int argc, char** argv) {
  try {
    return certus::cli::Run(argc, argv);
  } catch (const std::exception& e) {
    spdlog::critical("certus stopped: {}", e.what());
    return 70;  // EX_SOFTWARE
  }
}
