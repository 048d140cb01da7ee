#pragma once

#include <string>
#include <vector>

namespace certus {

/// A file compiled into the binary (cmake/EmbedFiles.cmake): migrations, the OpenAPI
/// document, catalogs.
struct EmbeddedFile {
  std::string name;
  std::string content;
};

}  // namespace certus
