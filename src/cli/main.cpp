#include <exception>

#include <spdlog/spdlog.h>

#include "cli/commands.hpp"

#ifdef CERTUS_WITH_JEMALLOC
// jemalloc returns freed memory to the system as allocations go on; a server that goes idle
// after a large request (a readiness replay: hundreds of MB for a moment) would keep it all.
// A background thread purges pages unused for 5 s instead (ADR 0026).
// NOLINTNEXTLINE(cppcoreguidelines-avoid-non-const-global-variables): jemalloc's option hook
extern "C" const char* malloc_conf = "background_thread:true,dirty_decay_ms:5000,muzzy_decay_ms:0";
#endif

int main(int argc, char** argv) {
  try {
    return certus::cli::Run(argc, argv);
  } catch (const std::exception& e) {
    spdlog::critical("certus stopped: {}", e.what());
    return 70;  // EX_SOFTWARE
  }
}
