# Called by certus_embed_files; writes OUTPUT from FILES. Bytes are emitted as hex so that
# any content (quotes, backslashes, non-ASCII) survives.
set(body "#include \"core/embedded_file.hpp\"\n\nnamespace ${NAMESPACE} {\n\n")
string(APPEND body "std::vector<certus::EmbeddedFile> ${FUNCTION}() {\n  std::vector<certus::EmbeddedFile> files;\n")
foreach(file IN LISTS FILES)
  get_filename_component(name ${file} NAME)
  file(READ ${file} hex HEX)
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "\\\\x\\1" escaped "${hex}")
  string(LENGTH "${hex}" hex_length)
  math(EXPR size "${hex_length} / 2")
  string(APPEND body "  files.push_back({\"${name}\", std::string(\"${escaped}\", ${size})});\n")
endforeach()
string(APPEND body "  return files;\n}\n\n}  // namespace ${NAMESPACE}\n")
file(WRITE ${OUTPUT} "${body}")
