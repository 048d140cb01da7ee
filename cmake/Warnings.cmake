# Warnings for every Certus target; CERTUS_WERROR (on in CI presets) makes them errors.
option(CERTUS_WERROR "Treat warnings as errors" OFF)

function(certus_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow
                         -Wnon-virtual-dtor -Wno-gnu-statement-expression
                         $<$<CXX_COMPILER_ID:GNU>:-Wno-pedantic>)
  if(CERTUS_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
