# certus_embed_files(OUTPUT out.cpp NAMESPACE ns FUNCTION Name FILES a b ...)
# Generates a C++ source that defines `std::vector<certus::EmbeddedFile> ns::Name()`
# holding each file's base name and bytes, rebuilt when a file changes.
function(certus_embed_files)
  cmake_parse_arguments(ARG "" "OUTPUT;NAMESPACE;FUNCTION" "FILES" ${ARGN})
  add_custom_command(
    OUTPUT ${ARG_OUTPUT}
    COMMAND ${CMAKE_COMMAND} -DOUTPUT=${ARG_OUTPUT} -DNAMESPACE=${ARG_NAMESPACE}
            -DFUNCTION=${ARG_FUNCTION} "-DFILES=${ARG_FILES}"
            -P ${CMAKE_SOURCE_DIR}/cmake/EmbedFilesScript.cmake
    DEPENDS ${ARG_FILES} ${CMAKE_SOURCE_DIR}/cmake/EmbedFilesScript.cmake
    COMMENT "Embedding ${ARG_FUNCTION}"
    VERBATIM)
  # One string literal per file: far longer than the 65,536 characters -Wpedantic wants
  # (Clang warns), and fine for every compiler we build with.
  set_source_files_properties(${ARG_OUTPUT} PROPERTIES COMPILE_OPTIONS -Wno-overlength-strings)
endfunction()
