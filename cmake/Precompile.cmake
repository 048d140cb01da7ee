# Precompiled headers (ADR 0017): the standard library, Boost.JSON, fmt and tl::expected, which
# nearly every translation unit of the modules and the tests includes and which cost about
# half of a file's compile time when parsed anew. CERTUS_PCH=OFF builds without them (to check
# that each file includes what it uses).
option(CERTUS_PCH "Precompile the headers that most translation units include" ON)

set(certus_pch_headers
  <algorithm> <array> <chrono> <cstdint> <functional> <map> <memory> <optional> <set>
  <string> <string_view> <unordered_map> <utility> <vector>
  <boost/json.hpp> <fmt/format.h> <tl/expected.hpp>)

# certus_precompile(<target> [<more headers>...]): the common set and the target's own.
function(certus_precompile target)
  if(CERTUS_PCH)
    target_precompile_headers(${target} PRIVATE ${certus_pch_headers} ${ARGN})
  endif()
endfunction()
