#include <string_view>

#include "storage/database.hpp"
#include "storage/postgres/postgres_database.hpp"
#include "storage/sqlite/sqlite_database.hpp"

namespace certus::storage {

Expected<std::unique_ptr<Database>> OpenDatabase(const std::string& url,
                                                 const DatabaseSettings& settings) {
  const std::string_view text = url;
  if (text.starts_with("sqlite:")) {
    // `sqlite::memory:` leaves `:memory:`, SQLite's own name for a private in-memory database.
    const std::string path(text.substr(std::string_view("sqlite:").size()));
    if (path.empty()) {
      return Fail(ErrorCode::kMalformed,
                  "The database URL `sqlite:` names no file; use sqlite:PATH or "
                  "sqlite::memory:.");
    }
    return CERTUS_TRY(sqlite::SqliteDatabase::Open(path, settings));
  }
  if (text.starts_with("postgresql://") || text.starts_with("postgres://")) {
    return CERTUS_TRY(postgres::PostgresDatabase::Open(url, settings));
  }
  // The URL is not repeated: it may hold a password.
  return Fail(ErrorCode::kMalformed,
              "Unsupported database URL; use sqlite:PATH, sqlite::memory:, postgresql://… or "
              "postgres://….");
}

}  // namespace certus::storage
